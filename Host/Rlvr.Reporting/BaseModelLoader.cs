// Loads a base run's model the way the runners build it: the run's config.json through the plugin catalog, composed
// by the runners' own recipe (RunComposer), then model.bin.
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;

namespace Rlvr.Reporting;

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
        // Scored wherever this machine computes best, not on the device the run was trained on.
        var components = host.Services.GetRequiredService<RunComposer>().Compose(device: "auto");
        return new BaseLogLikelihood(components.LoadModel(baseRun.ModelPath, baseRun.Seed), components.Tokenizer);
    }
}
