// The model contract on the tiny checkpoints: cached decoding equals the full forward, left padding changes nothing
// for the real tokens, saving and loading back keeps every logit, and a fresh model is Hugging Face-named and seeded.
using Microsoft.Extensions.Options;
using Rlvr.Plugins.Llama.Tests.Support;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama.Tests;

public sealed class LlamaModelTests
{
    private static readonly long[][] s_ids = [[1, 5, 9, 13, 17, 21, 25, 29], [2, 60, 3, 40, 7, 7, 11, 50]];

    [Theory, InlineData("llama"), InlineData("qwen2"), InlineData("llama3")]
    public void IncrementalDecodingEqualsTheFullForward(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Fixtures.Load(name);
        var ids = Fixtures.Ids(s_ids);
        var full = model.Forward(ids);                                                   // (2, 8, V)
        using var cache = model.CreateDecodingState(zeros(2, dtype: int64), 8);
        var steps = new List<Tensor> { model.Forward(ids.narrow(1, 0, 3), cache) };      // a prompt of 3, then one at a time
        for (int t = 3; t < 8; t++) steps.Add(model.Forward(ids.narrow(1, t, 1), cache));
        var cached = cat(steps, 1);
        Assert.True(cached.allclose(full, rtol: 0, atol: 1e-5), $"largest difference {Fixtures.MaxDifference(cached, full)}");
    }

    // A bfloat16 state computes the layers in bfloat16 and the final norm and head in float32: decoded step by step it
    // lies closer to libtorch's forward of the checkpoint loaded in bfloat16 (measured 0.067-0.087) than either lies to
    // float32 (up to 0.17 on these checkpoints).
    [Theory, InlineData("llama"), InlineData("qwen2"), InlineData("llama3")]
    public void ABFloat16StateGivesTheBFloat16ModelsLogits(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Fixtures.Load(name);
        using var narrow = LlamaCheckpoint.Load(Fixtures.Folder(name), model.ContextLength, ScalarType.BFloat16, CPU, null, seed: 0);
        narrow.eval();
        var ids = Fixtures.Ids(s_ids);
        using var cache = model.CreateDecodingState(zeros(2, dtype: int64), 8, ScalarType.BFloat16);
        var steps = new List<Tensor> { model.Forward(ids.narrow(1, 0, 3), cache) };
        for (int t = 3; t < 8; t++) steps.Add(model.Forward(ids.narrow(1, t, 1), cache));
        var decoded = cat(steps, 1);

        Assert.Equal(ScalarType.Float32, decoded.dtype);
        var expected = narrow.Forward(ids).to(ScalarType.Float32);
        Assert.True(Fixtures.MaxDifference(decoded, expected) < Fixtures.BFloat16Tolerance / 2, $"largest difference {Fixtures.MaxDifference(decoded, expected)}");
        Assert.True(Fixtures.MaxDifference(decoded, model.Forward(ids)) < Fixtures.BFloat16Tolerance, $"largest difference from float32 {Fixtures.MaxDifference(decoded, model.Forward(ids))}");
    }

    [Theory, InlineData("llama"), InlineData("qwen2")]
    public void LeftPaddingGivesTheSameLogitsForTheRealTokens(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Fixtures.Load(name);
        var alone = model.Forward(tensor(s_ids[1]).view(1, -1));                          // (1, 8, V)
        // Row 1 is the same sequence after 3 padding tokens (any id); row 0 fills the batch.
        long[] first = [4, 5, 6, .. s_ids[0]], padded = [0, 0, 0, .. s_ids[1]];
        var batch = tensor([.. first, .. padded]).view(2, -1);
        using var cache = model.CreateDecodingState(tensor(new long[] { 0, 3 }), 11);
        var logits = model.Forward(batch, cache)[1].narrow(0, 3, 8);
        Assert.True(logits.allclose(alone[0], rtol: 0, atol: 1e-5), $"largest difference {Fixtures.MaxDifference(logits, alone[0])}");
    }

    [Theory, InlineData("llama"), InlineData("qwen2"), InlineData("llama3")]
    public void SavingThenLoadingKeepsTheLogits(string name)
    {
        using var scope = NewDisposeScope();
        string folder = Directory.CreateTempSubdirectory("rlvr-llama-export-").FullName;
        try
        {
            using var model = Fixtures.Load(name);
            LlamaCheckpoint.Save(model, folder);
            using var reloaded = LlamaCheckpoint.Load(folder, model.ContextLength, float32, CPU);
            reloaded.eval();
            Assert.Equal(model.Config, reloaded.Config);
            var ids = Fixtures.Ids(s_ids);
            Assert.True(reloaded.Forward(ids).allclose(model.Forward(ids), rtol: 0, atol: 0));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AFreshModelHasHuggingFaceNamesAndItsSeedsWeights()
    {
        using var scope = NewDisposeScope();
        var options = new LlamaOptions { HiddenSize = 32, Layers = 2, Heads = 4, KeyValueHeads = 2, IntermediateSize = 64, ContextLength = 16, TieEmbeddings = false, AttentionBias = true };
        var architecture = new LlamaArchitecture(Options.Create(options));
        using var model = (LlamaModel)architecture.Create(vocabularySize: 20, CPU, seed: 5);
        using var same = (LlamaModel)architecture.Create(vocabularySize: 20, CPU, seed: 5);
        using var other = (LlamaModel)architecture.Create(vocabularySize: 20, CPU, seed: 6);

        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal([20, 32], shapes["model.embed_tokens.weight"]);
        Assert.Equal([32, 32], shapes["model.layers.1.self_attn.q_proj.weight"]);
        Assert.Equal([16], shapes["model.layers.1.self_attn.k_proj.bias"]);                 // 2 key/value heads of 8
        Assert.Equal([64, 32], shapes["model.layers.0.mlp.gate_proj.weight"]);
        Assert.Equal([32, 64], shapes["model.layers.0.mlp.down_proj.weight"]);
        Assert.Equal([32], shapes["model.layers.0.post_attention_layernorm.weight"]);
        Assert.Equal([32], shapes["model.norm.weight"]);
        Assert.Equal([20, 32], shapes["lm_head.weight"]);
        // Per layer: q, o 32·32; k, v 32·16 with biases 32 + 16 + 16; gate, up, down 3·32·64; two norms.
        Assert.Equal(2 * 20 * 32 + 2 * (2 * 1024 + 2 * 512 + 64 + 3 * 2048 + 64) + 32, shapes.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)));

        var ids = tensor(new long[] { 1, 2, 3, 4 }).view(1, -1);
        Assert.True(model.Forward(ids).allclose(same.Forward(ids), rtol: 0, atol: 0));
        Assert.False(model.Forward(ids).allclose(other.Forward(ids)));
    }
}
