// A finished run's model written for tools outside Rlvr: model.safetensors and config.json from the model's own
// export (ICheckpointExport), beside the run's tokenizer as Rlvr saves it. The model is rebuilt by the runners'
// recipe (RunComposer) from the run's config.json, and its model.bin is verified against the seal its run recorded
// before it is read.
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Host.Configuration;
using Rlvr.Host.Studies;
using Rlvr.Models;

namespace Rlvr.Host.Runs;

/// <summary>Exports a run folder's model.</summary>
public static class ModelExport
{
    /// <summary>The files an export writes: the weights and the shape (the model's own), and the run's tokenizer as Rlvr saves it.</summary>
    public const string WeightsFile = ICheckpointExport.WeightsFile, ConfigFile = ICheckpointExport.ConfigFile, TokenizerFile = "rlvr-tokenizer.json";

    private static readonly string[] s_files = [WeightsFile, ConfigFile, TokenizerFile];

    /// <summary>Writes the model of <paramref name="runFolder"/> (a base or an arm run) into <paramref name="destination"/>.</summary>
    /// <param name="settings">Plugin folders; the config file is the run's own config.json.</param>
    /// <returns>The files written, full paths.</returns>
    /// <exception cref="ConfigurationErrorsException">No finished run there, its model fails its seal, the destination already holds an export, or the architecture cannot export.</exception>
    public static IReadOnlyList<string> Export(string runFolder, string destination, RlvrHostSettings settings)
    {
        string config = Path.Combine(runFolder, RunPaths.ConfigFile), model = Path.Combine(runFolder, RunPaths.ModelFile);
        string? record = new[] { PipelineRunner.BaseFile, ArmRunner.ArmFile }.Select(f => Path.Combine(runFolder, f)).FirstOrDefault(File.Exists);
        if (!File.Exists(config) || record is null)
            throw new ConfigurationErrorsException($"{runFolder}: not a run folder (it needs {RunPaths.ConfigFile} and {PipelineRunner.BaseFile} or {ArmRunner.ArmFile})");
        var seals = JsonNode.Parse(File.ReadAllText(record))?["Model"]?["Files"]?.Deserialize<Dictionary<string, string>>();
        if (seals is null || !seals.ContainsKey(RunPaths.ModelFile))
            throw new ConfigurationErrorsException($"{runFolder}: the run has no finished model yet; finish it first (`rlvr resume {runFolder}`)");
        if (FileSeal.Check(runFolder, seals) is { } damaged)
            throw new ConfigurationErrorsException($"{runFolder}: {damaged}; nothing was exported");
        var existing = s_files.Select(f => Path.Combine(destination, f)).Where(File.Exists).ToList();
        if (existing.Count > 0)
            throw new ConfigurationErrorsException($"{destination} already holds {string.Join(", ", existing.Select(Path.GetFileName))}; export into an empty folder (nothing is overwritten)");

        var builder = RlvrHostBuilder.Create(settings with { ConfigFile = config, LogToStudyFolder = false });
        using var host = builder.Build();
        var components = host.Services.GetRequiredService<RunComposer>().Compose(device: "cpu");
        using var loaded = components.LoadModel(model, seed: 0);
        if (loaded is not ICheckpointExport export)
        {
            string name = host.Services.GetRequiredService<IOptions<ComponentSelection>>().Value.Model!;
            throw new ConfigurationErrorsException($"Components:Model = '{name}': this architecture has no export (its plugin does not implement {nameof(ICheckpointExport)}); its weights are in {model}");
        }
        Directory.CreateDirectory(destination);
        export.Export(destination);
        AtomicFile.Write(Path.Combine(destination, TokenizerFile), components.Tokenizer.Save);
        return [.. s_files.Select(f => Path.Combine(destination, f))];
    }
}
