using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Tests.Support;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Runs;

/// <summary>A run's model exported as model.safetensors and config.json: the same tensors, verified first, nothing overwritten.</summary>
public sealed class ModelExportTests
{
    private static readonly Lazy<(string Root, string BaseFolder)> s_run = new(() =>
    {
        string root = Directory.CreateTempSubdirectory("rlvr-export-").FullName;
        var study = TinyStudy.Run(TinyStudy.Overrides(root, tokens: 2_000));
        return (root, study.Seeds.Single().Base.RunFolder);
    });

    [Fact]
    public void TheExportHoldsEveryTensorOfTheRunsModelAndItsShape()
    {
        var (root, run) = s_run.Value;
        string to = Path.Combine(root, "export-" + Guid.NewGuid().ToString("N"));

        var written = ModelExport.Export(run, to, new RlvrHostSettings());

        Assert.Equal([ModelExport.WeightsFile, ModelExport.ConfigFile, ModelExport.TokenizerFile], written.Select(Path.GetFileName));
        using var host = RlvrHostBuilder.Create(new RlvrHostSettings { ConfigFile = Path.Combine(run, RunPaths.ConfigFile) }).Build();
        var components = host.Services.GetRequiredService<RunComposer>().Compose(device: "cpu");
        using var model = components.LoadModel(Path.Combine(run, RunPaths.ModelFile), seed: 0);
        var expected = model.Module.state_dict();
        string weights = Path.Combine(to, ModelExport.WeightsFile);
        var header = Safetensors.ReadHeader(weights);
        Assert.Equal(expected.Keys.Order(), header.Keys.Order());
        foreach (var (name, entry) in header)
        {
            using var read = Safetensors.Read(weights, entry);
            Assert.True(read.equal(expected[name]).all().item<bool>(), $"{name} differs from model.bin");
        }
        Assert.Contains("wte.weight", header.Keys);                                                   // the tied head is written once

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(to, ModelExport.ConfigFile)))!;
        Assert.Equal("rlvr-gpt", config["model_type"]!.GetValue<string>());
        Assert.Equal(32, config["n_embd"]!.GetValue<int>());                                          // TinyStudy: 1 layer, width 32, 2 heads, context 32
        Assert.Equal(2, config["n_head"]!.GetValue<int>());
        Assert.Equal(1, config["n_block"]!.GetValue<int>());
        Assert.Equal(32, config["block_size"]!.GetValue<int>());
        Assert.Equal(components.Tokenizer.VocabularySize, config["vocab_size"]!.GetValue<int>());
        Assert.Equal(expected["wte.weight"].shape, header["wte.weight"].Shape);
    }

    [Fact]
    public void AnExportIsNeverOverwrittenAndADamagedModelIsNotExported()
    {
        var (root, run) = s_run.Value;
        string to = Path.Combine(root, "export-" + Guid.NewGuid().ToString("N"));
        ModelExport.Export(run, to, new RlvrHostSettings());
        var before = File.ReadAllBytes(Path.Combine(to, ModelExport.WeightsFile));

        var again = Assert.Throws<ConfigurationErrorsException>(() => ModelExport.Export(run, to, new RlvrHostSettings()));
        Assert.Contains("already holds model.safetensors", again.Message);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(to, ModelExport.WeightsFile)));

        // A copy of the run whose model.bin no longer matches its seal.
        string copy = Path.Combine(root, "damaged-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(run)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        File.AppendAllText(Path.Combine(copy, RunPaths.ModelFile), "x");
        string target = Path.Combine(root, "export-" + Guid.NewGuid().ToString("N"));
        var damaged = Assert.Throws<ConfigurationErrorsException>(() => ModelExport.Export(copy, target, new RlvrHostSettings()));
        Assert.Contains("does not match its recorded size and SHA-256", damaged.Message);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void AFolderThatIsNoRunIsRefusedByName()
    {
        string empty = Directory.CreateTempSubdirectory("rlvr-export-").FullName;
        var error = Assert.Throws<ConfigurationErrorsException>(() => ModelExport.Export(empty, Path.Combine(empty, "out"), new RlvrHostSettings()));
        Assert.StartsWith($"{empty}: not a run folder", error.Message);
    }
}
