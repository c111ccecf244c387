// The looped transformer: Blocks shared across Loops. Cached decoding at every R, the transformer as its one-loop
// case, parameters independent of R, the evaluation loop count, input injection and seeded determinism.
using Rlvr.Models;
using Rlvr.Plugins.Transformer.Tests.Support;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class LoopedTransformerTests
{
    private const float Tolerance = 1e-5f;
    private const float BFloat16Tolerance = 1e-2f;   // ten block applications in bfloat16 (8 significant bits): measured 1.7e-3

    [Theory]
    [InlineData(1, 1, "learned")]
    [InlineData(1, 2, "rope")]
    [InlineData(1, 3, "learned")]
    [InlineData(2, 1, "rope")]
    [InlineData(2, 2, "learned")]
    [InlineData(2, 3, "rope")]
    public void CachedDecodingEqualsTheFullForwardAtEveryPosition(int blocks, int loops, string positions)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Looped(blocks, loops, positions);
        var tokens = randint(TinyModels.Vocabulary, [2, 12], generator: new TorchSharp.torch.Generator(3));
        var full = model.Forward(tokens);

        using var cache = model.CreateDecodingState(tensor(new long[] { 0, 2 }), capacity: 12);          // row 1 left-padded by 2
        Assert.Equal(blocks * loops, ((KeyValueCache)cache).Layers);
        var parts = new List<Tensor> { model.Forward(tokens.narrow(1, 0, 5), cache) };        // a prompt of 5
        for (int t = 5; t < 12; t++) parts.Add(model.Forward(tokens.narrow(1, t, 1), cache));  // then one at a time
        var cached = cat(parts, 1);

        Assert.True(TinyModels.MaxDifference(cached.narrow(0, 0, 1), full.narrow(0, 0, 1)) < Tolerance);
        var unpadded = model.Forward(tokens.narrow(0, 1, 1).narrow(1, 2, 10));                  // row 1 without its padding
        Assert.True(TinyModels.MaxDifference(cached.narrow(0, 1, 1).narrow(1, 2, 10), unpadded) < Tolerance);
    }

    [Theory]
    [InlineData("learned")]
    [InlineData("rope")]
    public void OneLoopOfLBlocksIsTheTransformerOfLLayers(string positions)
    {
        // Same generator draws in the same order and the same residual scale 1/√(2·L): the same model, bit for bit.
        using var scope = NewDisposeScope();
        using var transformer = TinyModels.Create(positions, seed: 4);
        using var looped = TinyModels.Looped(blocks: 2, loops: 1, positions, seed: 4);
        var (a, b) = (transformer.state_dict(), looped.state_dict());
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a.Keys, k => Assert.True(equal(a[k], b[k]).all().item<bool>(), $"{k} differs"));
        var tokens = randint(TinyModels.Vocabulary, [2, 9], generator: new TorchSharp.torch.Generator(5));
        Assert.Equal(0f, TinyModels.MaxDifference(transformer.Forward(tokens), looped.Forward(tokens)));
    }

    [Fact]
    public void TheParameterCountDependsOnTheBlocksAndNotOnTheLoops()
    {
        using var scope = NewDisposeScope();
        const long C = 32, V = TinyModels.Vocabulary, T = 32;
        long Expected(int blocks) => V * C + T * C + blocks * (12 * C * C + 13 * C) + 2 * C;   // wte, wpe, blocks, ln_f
        foreach (var (blocks, loops) in new[] { (1, 1), (1, 3), (1, 8), (2, 1), (2, 5) })
        {
            using var model = TinyModels.Looped(blocks, loops);
            Assert.Equal(Expected(blocks), model.parameters().Sum(p => p.numel()));
        }
    }

    [Fact]
    public void MoreLoopsComputeADifferentFunctionOfTheSameWeights()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Looped(blocks: 1, loops: 2);
        var tokens = randint(TinyModels.Vocabulary, [1, 8], generator: new TorchSharp.torch.Generator(6));
        var twice = model.Forward(tokens);
        model.Loops = 3;
        Assert.True(TinyModels.MaxDifference(model.Forward(tokens), twice) > 1e-4, "a third loop changed nothing");
        model.Loops = 2;
        Assert.Equal(0f, TinyModels.MaxDifference(model.Forward(tokens), twice));
    }

    [Fact]
    public void EvaluationLoopsDefaultToLoopsAndTheModelDecodesAtEither()
    {
        using var scope = NewDisposeScope();
        using var same = TinyModels.Looped(blocks: 1, loops: 2);
        Assert.Equal((2, 2, 2), (same.Loops, same.TrainingLoops, same.EvaluationLoops));

        using var model = TinyModels.Looped(blocks: 2, loops: 2, evaluationLoops: 5);
        Assert.Equal((2, 2, 5), (model.Loops, model.TrainingLoops, model.EvaluationLoops));
        using var trainingCache = model.CreateDecodingState(zeros(1, dtype: int64), capacity: 6);

        model.Loops = model.EvaluationLoops;
        var tokens = randint(TinyModels.Vocabulary, [1, 6], generator: new TorchSharp.torch.Generator(7));
        var error = Assert.Throws<ArgumentException>(() => model.Forward(tokens, trainingCache));   // made for 2 loops
        Assert.Contains("Loops changed", error.Message);
        using var cache = model.CreateDecodingState(zeros(1, dtype: int64), capacity: 6);
        Assert.Equal(10, ((KeyValueCache)cache).Layers);
        var cached = cat([model.Forward(tokens.narrow(1, 0, 3), cache), model.Forward(tokens.narrow(1, 3, 3), cache)], 1);
        Assert.True(TinyModels.MaxDifference(cached, model.Forward(tokens)) < Tolerance);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Loops = 0);
    }

    // A bfloat16 state is made at the loop count of its moment, as a float32 one: in the evaluation mode, five loops.
    [Fact]
    public void ABFloat16StateDecodesAtTheLoopsOfItsMaking()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Looped(blocks: 2, loops: 2, evaluationLoops: 5);
        var tokens = randint(TinyModels.Vocabulary, [1, 6], generator: new TorchSharp.torch.Generator(7));
        using (((IEvaluationMode)model).BeginEvaluation())
        {
            using var cache = model.CreateDecodingState(zeros(1, dtype: int64), capacity: 6, ScalarType.BFloat16);
            Assert.Equal(10, ((KeyValueCache)cache).Layers);
            var cached = cat([model.Forward(tokens.narrow(1, 0, 3), cache), model.Forward(tokens.narrow(1, 3, 3), cache)], 1);
            Assert.True(TinyModels.MaxDifference(cached, model.Forward(tokens)) < BFloat16Tolerance, $"max |difference| {TinyModels.MaxDifference(cached, model.Forward(tokens))}");
        }
    }

    [Fact]
    public void TheEvaluationModeRunsAtTheEvaluationLoopsAndRestoresTheLoopsBefore()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Looped(blocks: 1, loops: 2, evaluationLoops: 4);
        var tokens = randint(TinyModels.Vocabulary, [2, 5], generator: new TorchSharp.torch.Generator(3));
        var atTwo = model.Forward(tokens);
        model.Loops = 4;
        var atFour = model.Forward(tokens);
        model.Loops = 2;

        using (((IEvaluationMode)model).BeginEvaluation())
        {
            Assert.Equal(4, model.Loops);
            Assert.Equal(0f, TinyModels.MaxDifference(model.Forward(tokens), atFour));
        }
        Assert.Equal(2, model.Loops);
        Assert.Equal(0f, TinyModels.MaxDifference(model.Forward(tokens), atTwo));
    }

    [Fact]
    public void InputInjectionAddsTheInputBeforeEveryLoopAfterTheFirst()
    {
        using var scope = NewDisposeScope();
        var tokens = randint(TinyModels.Vocabulary, [1, 8], generator: new TorchSharp.torch.Generator(8));
        using var injected = TinyModels.Looped(blocks: 1, loops: 2, seed: 9, injection: true);
        using var plain = TinyModels.Looped(blocks: 1, loops: 2, seed: 9, injection: false);
        Assert.True(TinyModels.MaxDifference(injected.Forward(tokens), plain.Forward(tokens)) > 1e-4, "injection changed nothing at two loops");

        injected.Loops = plain.Loops = 1;                                // one loop: nothing to inject into
        Assert.Equal(0f, TinyModels.MaxDifference(injected.Forward(tokens), plain.Forward(tokens)));
    }

    [Fact]
    public void TheSameSeedTrainsToTheSameWeights()
    {
        float[] Train(long seed)
        {
            using var scope = NewDisposeScope();
            using var model = TinyModels.Looped(blocks: 2, loops: 3, "rope", seed);
            model.train();
            using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
            var data = arange(17).view(1, -1).add(arange(4).view(-1, 1)).remainder(TinyModels.Vocabulary);   // rows count up
            var losses = new float[20];
            for (int step = 0; step < losses.Length; step++)
            {
                using var stepScope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = F.cross_entropy(model.Forward(data.narrow(1, 0, 16)).view(-1, TinyModels.Vocabulary), data.narrow(1, 1, 16).reshape(-1));
                loss.backward();
                optimizer.step();
                losses[step] = loss.item<float>();
            }
            return losses;
        }
        var (a, b, c) = (Train(3), Train(3), Train(4));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.True(a[^1] < 0.5f * a[0], $"loss went from {a[0]} to {a[^1]}");
    }
}
