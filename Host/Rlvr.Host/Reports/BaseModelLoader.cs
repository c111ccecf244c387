// Loads a base run's model the way the runners build it: components from the run's config.json through the plugin
// catalog, the tokenizer from the task's alphabet, a fresh model of the configured architecture, then model.bin.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Host.Configuration;
using Rlvr.Host.Plugins;
using Rlvr.Host.Runs;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;

namespace Rlvr.Host.Reports;

/// <summary>Opens a base run's weights for scoring.</summary>
public static class BaseModelLoader
{
    /// <param name="settings">Plugin folders and overrides; the config file is the run's own config.json.</param>
    /// <exception cref="FileNotFoundException">model.bin or config.json is missing.</exception>
    /// <exception cref="ConfigurationErrorsException">The run's components cannot be resolved.</exception>
    public static BaseLogLikelihood Load(RunData baseRun, RlvrHostSettings settings)
    {
        string config = Path.Combine(baseRun.Folder, RunPaths.ConfigFile);
        foreach (string required in new[] { baseRun.ModelPath, config })
            if (!File.Exists(required)) throw new FileNotFoundException($"{required} is missing", required);
        var builder = RlvrHostBuilder.Create(settings with { ConfigFile = config, LogToStudyFolder = false });
        using var host = builder.Build();
        var catalog = host.Services.GetRequiredService<ComponentCatalog>();
        var components = host.Services.GetRequiredService<IOptions<ComponentSelection>>().Value;
        PipelineRunner.RequireSelected(components);
        var task = catalog.Get<IProblemGenerator>(components.Task!);
        var tokenizer = catalog.Get<ITokenizerFactory>(components.Tokenizer!).Create(task.Alphabet);
        var model = catalog.Get<IModelArchitecture>(components.Model!).Create(tokenizer.VocabularySize, PipelineRunner.ResolveDevice("auto"), baseRun.Seed);
        try
        {
            model.Module.load(baseRun.ModelPath);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new BaseLogLikelihood(model, tokenizer);
    }
}
