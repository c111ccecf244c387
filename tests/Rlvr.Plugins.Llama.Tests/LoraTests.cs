// LoRA adapters on the tiny checkpoints: a fresh adapter changes no logit and freezes every other weight; switched
// off, the adapters leave the frozen model; merged on export, a model without adapters computes what the adapted
// one does; a target that names no projection is refused by its key.
using Rlvr.Plugins.Llama.Tests.Support;
using Rlvr.Testing;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama.Tests;

public sealed class LoraTests
{
    private static readonly long[][] s_ids = [[1, 5, 9, 13, 17, 21, 25, 29], [2, 60, 3, 40, 7, 7, 11, 50]];

    private static LlamaModel Adapted(string name, string[]? targets = null)
    {
        var model = LlamaCheckpoint.Load(Fixtures.Folder(name), 32, float32, CPU, new LoraSpec(4, 8, (targets ?? LlamaOptions.AllLoraTargets).ToHashSet()), seed: 3);
        model.eval();
        return model;
    }

    [Theory, InlineData("llama"), InlineData("qwen2")]
    public void AFreshAdapterChangesNoLogitAndOnlyTheAdaptersTrain(string name)
    {
        using var scope = NewDisposeScope();
        using var plain = Fixtures.Load(name, contextLength: 32);
        using var adapted = Adapted(name);
        var ids = Fixtures.Ids(s_ids);

        Assert.True(adapted.Forward(ids).equal(plain.Forward(ids)).all().item<bool>(), "a fresh adapter (B = 0) changed the logits");
        var parameters = adapted.named_parameters().ToList();
        Assert.Equal(2 * 7 * 2, parameters.Count(p => p.name.Contains(".lora_")));                 // 2 layers × 7 projections × A and B
        Assert.All(parameters, p => Assert.Equal(p.name.Contains(".lora_"), p.parameter.requires_grad));
        Assert.True(adapted.HasAdapters);
        Assert.False(plain.HasAdapters);
    }

    [Fact]
    public void WithoutAdaptersTheModelIsTheFrozenCheckpointAndThenAdaptedAgain()
    {
        using var scope = NewDisposeScope();
        using var plain = Fixtures.Load("llama", contextLength: 32);
        using var adapted = Adapted("llama", ["q_proj", "down_proj"]);
        Fixtures.TrainAdapters(adapted);
        var ids = Fixtures.Ids(s_ids);
        var trained = adapted.Forward(ids);
        Assert.False(trained.allclose(plain.Forward(ids), rtol: 0, atol: 1e-4), "the trained adapters changed nothing");

        using (adapted.WithoutAdapters())
            Assert.True(adapted.Forward(ids).equal(plain.Forward(ids)).all().item<bool>(), "without adapters the model is not the checkpoint");
        Assert.True(adapted.Forward(ids).equal(trained).all().item<bool>(), "the adapters did not come back");
    }

    // Sampling in bfloat16 runs the layers on a bfloat16 copy with the adapters merged into their weights: a state made
    // after the adapters trained decodes the trained model, to bfloat16's rounding (LlamaModelTests measures that
    // rounding against libtorch's own bfloat16 forward).
    [Theory, InlineData("llama"), InlineData("qwen2")]
    public void ABFloat16StateDecodesTheAdaptedModel(string name)
    {
        using var scope = NewDisposeScope();
        using var adapted = Adapted(name);
        var ids = Fixtures.Ids(s_ids);
        var fresh = Decoded(adapted, ids);
        Fixtures.TrainAdapters(adapted);
        var trained = adapted.Forward(ids);

        var decoded = Decoded(adapted, ids);
        Assert.True(Fixtures.MaxDifference(decoded, trained) < Fixtures.BFloat16Tolerance, $"largest difference {Fixtures.MaxDifference(decoded, trained)}");
        Assert.True(Fixtures.MaxDifference(fresh, trained) > 4 * Fixtures.BFloat16Tolerance, $"the trained adapters moved the logits by {Fixtures.MaxDifference(fresh, trained)} only");
    }

    private static Tensor Decoded(LlamaModel model, Tensor ids)
    {
        using var cache = model.CreateDecodingState(zeros(ids.shape[0], dtype: int64), ids.shape[1], ScalarType.BFloat16);
        return cat([model.Forward(ids.narrow(1, 0, 3), cache), model.Forward(ids.narrow(1, 3, ids.shape[1] - 3), cache)], 1);
    }

    [Theory, InlineData("llama"), InlineData("qwen2")]
    public void TheExportMergesTheAdaptersIntoTheWeightsTheyAdapt(string name)
    {
        using var scope = NewDisposeScope();
        using var adapted = Adapted(name);
        Fixtures.TrainAdapters(adapted);
        string folder = Directory.CreateTempSubdirectory("rlvr-lora-export-").FullName;
        adapted.Export(folder);

        using var merged = LlamaCheckpoint.Load(folder, 32, float32, CPU);
        merged.eval();
        Assert.DoesNotContain(Rlvr.Training.Safetensors.ReadHeader(Path.Combine(folder, LlamaCheckpoint.WeightsFile)).Keys, k => k.Contains(".lora_"));
        var ids = Fixtures.Ids(s_ids);
        var (expected, actual) = (adapted.Forward(ids), merged.Forward(ids));
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-4), $"largest difference {Fixtures.MaxDifference(actual, expected)}");
    }

    [Fact]
    public void ATargetThatNamesNoProjectionIsRefusedByItsKey()
    {
        var error = PluginServices.ValidateOnStart(new LlamaPlugin(), ("Models:Llama:LoraRank", "8"), ("Models:Llama:LoraTargets:0", "q_proj"), ("Models:Llama:LoraTargets:1", "attn"));
        Assert.Contains("Models:Llama:LoraTargets: unknown projection(s) attn; choose from q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj.", error.Message);
    }
}
