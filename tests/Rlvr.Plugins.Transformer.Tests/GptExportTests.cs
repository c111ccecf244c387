// The transformer's export (model.safetensors and config.json, docs/real-models.md) read by an independent PyTorch
// GPT written from that description (Reference/gpt_export_reference.py): the same logits on the same ids.
using System.Text.Json;
using Rlvr.Plugins.Transformer.Tests.Support;
using Rlvr.Testing;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class GptExportTests
{
    private static readonly long[,] s_ids = { { 1, 5, 9, 2, 12, 0, 7, 3 }, { 4, 4, 11, 6, 8, 10, 1, 2 } };

    public static TheoryData<string, int, int, bool> Shapes => new()
    {
        { "learned", 0, 0, false },   // the transformer, 2 layers
        { "rope", 0, 0, false },
        { "rope", 2, 3, true },       // looped: 2 blocks applied 3 times, input injected
    };

    [TorchTheory]
    [MemberData(nameof(Shapes))]
    public void PyTorchReadingTheExportAsDocumentedGivesTheModelsLogits(string positions, int blocks, int loops, bool injection)
    {
        using var scope = NewDisposeScope();
        using var model = blocks == 0 ? TinyModels.Create(positions, seed: 5) : TinyModels.Looped(blocks, loops, positions, seed: 5, injection);
        // Weights far from their small initial values, so that every tensor and its place matter to the logits.
        using (no_grad())
        {
            var g = new Generator(11);
            foreach (var p in model.parameters()) p.copy_(randn(p.shape, generator: g) * 0.3);
        }
        string folder = Directory.CreateTempSubdirectory("rlvr-gpt-export-").FullName;
        model.Export(folder);

        var ids = TinyModels.Tokens(s_ids);
        string json = TorchFactAttribute.Run(Path.Combine(AppContext.BaseDirectory, "Reference", "gpt_export_reference.py"), folder,
            JsonSerializer.Serialize(Enumerable.Range(0, 2).Select(r => Enumerable.Range(0, 8).Select(t => s_ids[r, t]))));
        var reference = tensor(JsonSerializer.Deserialize<float[][][]>(json)!.SelectMany(r => r.SelectMany(t => t)).ToArray()).view(model.Forward(ids).shape);
        var logits = model.Forward(ids);
        Assert.True(logits.abs().max().item<float>() > 1, "the logits are too small to tell a wrong mapping apart");
        Assert.True(allclose(logits, reference, rtol: 1e-4, atol: 1e-4), $"largest difference {TinyModels.MaxDifference(logits, reference)}");
    }
}
