// The host's batched sampler over the GPT: cached against recompute, seeds, EOS, top-p, log-probs and the context limit.
using Rlvr.Plugins.Transformer.Tests.Support;
using Rlvr.Sampling;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class BatchedSamplerTests
{
    private const int Eos = 2;
    private const double BFloat16LogProbTolerance = 1e-2;   // two blocks in bfloat16 (8 significant bits): measured up to 1.9e-3

    // Three prompts of different lengths, BOS (1) first.
    private static readonly int[][] Prompts = [[1, 4, 5, 6], [1, 7], [1, 8, 9, 10, 11, 12]];

    private static IReadOnlyList<SampledCompletion> Sample(GptModel model, SamplingOptions options, int eos = Eos, int groupSize = 4, long? seed = null) =>
        new BatchedSampler(options).Sample(model, Prompts, groupSize, eos, pad: 0, seed);

    [Theory]
    [InlineData("learned", 0.0, 1.0)]
    [InlineData("learned", 1.0, 1.0)]
    [InlineData("rope", 1.0, 1.0)]
    [InlineData("learned", 0.7, 0.8)]
    [InlineData("rope", 1.0, 1.0, 24, 4)]   // head size 6: not whole blocks of the decode kernel, so the fused kernel runs
    [InlineData("rope", 0.0, 1.0, 32, 2)]   // head size 16
    public void CachedSamplingGivesTheSameTokensAsRecomputing(string positions, double temperature, double topP, int width = 32, int heads = 4)
    {
        using var model = TinyModels.Create(positions, seed: 11, width: width, heads: heads);
        var options = new SamplingOptions { Temperature = temperature, TopP = topP, MaxNewTokens = 16, Seed = 5 };
        var cached = Sample(model, options);
        options.Recompute = true;
        var recomputed = Sample(model, options);

        Assert.Equal(Prompts.Length * 4, cached.Count);
        for (int i = 0; i < cached.Count; i++)
        {
            Assert.Equal(i / 4, cached[i].Prompt);
            Assert.Equal(recomputed[i].Tokens, cached[i].Tokens);
            Assert.Equal(recomputed[i].Truncated, cached[i].Truncated);
            for (int t = 0; t < cached[i].LogProbs.Length; t++)
                Assert.Equal(recomputed[i].LogProbs[t], cached[i].LogProbs[t], 1e-4);
        }
        if (temperature > 0)   // rows finished at different steps, so finished rows were dropped from the batch
            Assert.True(cached.Any(c => !c.Truncated) && cached.Any(c => c.Tokens.Length > 4), "no row finished early, so nothing was dropped");
    }

    // Sampling in bfloat16: greedy decoding gives the float32 reference's tokens on these tiny models (their top logits
    // lie far apart next to bfloat16's rounding), through the kernel (head size 8) and the fused fallback (head size 6);
    // every token's log-prob is a float32 full forward's over the sampled sequence to BFloat16LogProbTolerance; and the
    // same seed gives the same bits.
    [Theory]
    [InlineData("learned", 32, 4)]
    [InlineData("rope", 32, 4)]
    [InlineData("rope", 24, 4)]
    public void InBFloat16GreedyTokensAreTheReferencesAndLogProbsAgreeToItsRounding(string positions, int width, int heads)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(positions, seed: 11, width: width, heads: heads);
        var greedy = new SamplingOptions { Temperature = 0, MaxNewTokens = 16 };
        var reference = Sample(model, new SamplingOptions { Temperature = 0, MaxNewTokens = 16, Recompute = true });
        greedy.Precision = ScalarType.BFloat16;
        Assert.Equal(reference.Select(c => c.Tokens), Sample(model, greedy).Select(c => c.Tokens));

        var options = new SamplingOptions { MaxNewTokens = 16, Seed = 5, Precision = ScalarType.BFloat16 };
        var sampled = Sample(model, options);
        double worst = 0;
        foreach (var c in sampled)
        {
            var prompt = Prompts[c.Prompt];
            var logp = model.Forward(tensor(prompt.Concat(c.Tokens).Select(t => (long)t).ToArray()).view(1, -1)).log_softmax(-1)[0];   // (T, V)
            for (int t = 0; t < c.Tokens.Length; t++) worst = Math.Max(worst, Math.Abs(logp[prompt.Length - 1 + t, c.Tokens[t]].item<float>() - c.LogProbs[t]));
        }
        Assert.True(worst < BFloat16LogProbTolerance, $"max |log-prob difference| {worst}");
        Assert.True(worst > 0, "bfloat16 gave float32's log-probs exactly: it did not run in bfloat16");
        var again = Sample(model, options);
        Assert.Equal(sampled.Select(c => c.Tokens), again.Select(c => c.Tokens));
        Assert.Equal(sampled.Select(c => c.LogProbs), again.Select(c => c.LogProbs));
    }

    [Fact]
    public void APrecisionNeedsTheCachedSampler() =>
        Assert.Throws<ArgumentException>(() => new BatchedSampler(new SamplingOptions { Recompute = true, Precision = ScalarType.BFloat16 }));

    [Fact]
    public void LogProbsAreThoseOfAFullForwardOverTheSampledSequence()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(seed: 3);
        var completions = Sample(model, new SamplingOptions { MaxNewTokens = 10, Seed = 1 });
        foreach (var c in completions)
        {
            var prompt = Prompts[c.Prompt];
            var sequence = tensor(prompt.Concat(c.Tokens).Select(t => (long)t).ToArray()).view(1, -1);
            var logp = model.Forward(sequence).log_softmax(-1)[0];                        // (T, V)
            for (int t = 0; t < c.Tokens.Length; t++)
                Assert.Equal(logp[prompt.Length - 1 + t, c.Tokens[t]].item<float>(), c.LogProbs[t], 1e-4);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameSamplesAndAnotherSeedOthers()
    {
        using var model = TinyModels.Create(seed: 4);
        var options = new SamplingOptions { MaxNewTokens = 12, Seed = 9 };
        var sampler = new BatchedSampler(options);
        var (first, second) = (sampler.Sample(model, Prompts, 4, Eos), sampler.Sample(model, Prompts, 4, Eos));
        var again = new BatchedSampler(options);
        Assert.Equal(first.Select(c => c.Tokens), again.Sample(model, Prompts, 4, Eos).Select(c => c.Tokens));
        Assert.Equal(second.Select(c => c.Tokens), again.Sample(model, Prompts, 4, Eos).Select(c => c.Tokens));
        Assert.NotEqual(first.Select(c => c.Tokens), second.Select(c => c.Tokens));          // consecutive calls differ
        var explicitSeed = sampler.Sample(model, Prompts, 4, Eos, seed: 123);                // an explicit seed ignores Options.Seed
        var elsewhere = new BatchedSampler(new SamplingOptions { MaxNewTokens = 12, Seed = 77 }).Sample(model, Prompts, 4, Eos, seed: 123);
        Assert.Equal(explicitSeed.Select(c => c.Tokens), elsewhere.Select(c => c.Tokens));
    }

    [Fact]
    public void EosStopsARowAndIsKept()
    {
        using var model = TinyModels.Create(seed: 6);
        var options = new SamplingOptions { MaxNewTokens = 20, Seed = 2 };
        var free = Sample(model, options, eos: -1);                                         // no token ends a row
        Assert.All(free, c => Assert.True(c.Truncated && c.Tokens.Length == 20));
        int eos = free[0].Tokens[3];
        var stopped = Sample(model, options, eos: eos);

        // Each row is the free row cut after its first EOS: dropping finished rows changes no other row's draws.
        for (int i = 0; i < free.Count; i++)
        {
            int at = Array.IndexOf(free[i].Tokens, eos);
            int[] expected = at < 0 ? free[i].Tokens : free[i].Tokens[..(at + 1)];
            Assert.Equal(expected, stopped[i].Tokens);
            Assert.Equal(at < 0, stopped[i].Truncated);
            Assert.Equal(expected.Length, stopped[i].LogProbs.Length);
        }
        Assert.True(stopped[0].Tokens.Length <= 4 && stopped[0].Tokens[^1] == eos && !stopped[0].Truncated);
    }

    [Fact]
    public void PromptsAreEncodedOnceSharedByTheirGroupAndFinishedRowsDropped()
    {
        using var model = new RecordingModel(TinyModels.Create(seed: 6));
        var options = new SamplingOptions { MaxNewTokens = 20, Seed = 2 };
        var free = new BatchedSampler(options).Sample(model, Prompts, 4, eos: -1);
        int eos = free.SelectMany(c => c.Tokens).GroupBy(t => t).MaxBy(g => g.Count())!.Key;   // the commonest token ends rows early
        model.Calls.Clear();

        new BatchedSampler(options).Sample(model, Prompts, 4, eos);
        Assert.Equal(["state 3 rows, capacity 25", "cached 3x6", "repeat 4"], model.Calls.Take(3));   // longest prompt 6 + 20 - 1
        Assert.All(model.Calls.Skip(3), c => Assert.True(c.StartsWith("select ") || c.EndsWith("x1"), c));
        var batches = model.Calls.Where(c => c.StartsWith("cached ")).Skip(1).Select(c => int.Parse(c[7..c.IndexOf('x')])).ToList();
        Assert.Contains(model.Calls, c => c.StartsWith("select 12 -> "));
        Assert.True(batches[^1] < 12, "finished rows stayed in the batch");

        model.Calls.Clear();
        options.Recompute = true;
        new BatchedSampler(options).Sample(model, Prompts, 4, eos);
        Assert.All(model.Calls, c => Assert.StartsWith("forward ", c));                   // the reference uses no cache
    }

    [Fact]
    public void ATinyTopPIsGreedy()
    {
        using var model = TinyModels.Create(seed: 8);
        var greedy = Sample(model, new SamplingOptions { Temperature = 0, MaxNewTokens = 8 }, eos: -1);
        var nucleus = Sample(model, new SamplingOptions { TopP = 1e-6, MaxNewTokens = 8, Seed = 3 }, eos: -1);
        Assert.Equal(greedy.Select(c => c.Tokens), nucleus.Select(c => c.Tokens));
        // The log-prob is the full softmax's (the policy training optimises), not the one-token nucleus's 0: for the
        // most likely token it lies in [−log V, 0), and this untrained model is far from certain.
        Assert.All(nucleus, c => Assert.All(c.LogProbs, lp => Assert.InRange(lp, -Math.Log(model.VocabularySize), -1e-3)));
    }

    [Fact]
    public void APromptPlusMaxNewTokensBeyondTheContextLengthThrows()
    {
        using var model = TinyModels.Create(context: 16);
        var error = Assert.Throws<ArgumentException>(() => Sample(model, new SamplingOptions { MaxNewTokens = 11 }));
        Assert.Contains("ContextLength of 16", error.Message);
        Assert.Contains("MaxNewTokens (11)", error.Message);
        Assert.Equal(12, Sample(model, new SamplingOptions { MaxNewTokens = 10 }).Count);   // 6 + 10 fits exactly
    }

    [Fact]
    public void ACallsBudgetCapsItsCompletionsAndIsCheckedInsteadOfTheOptions()
    {
        using var model = TinyModels.Create(context: 16);
        var sampler = new BatchedSampler(new SamplingOptions { MaxNewTokens = 11, Seed = 2 });
        int[][] prompts = [[1, 2, 3, 4, 5, 6]];
        var capped = sampler.Sample(model, prompts, groupSize: 3, eos: -1, maxNewTokens: 10);   // 6 + 11 would not fit
        Assert.All(capped, c => Assert.Equal(10, c.Tokens.Length));
        Assert.All(capped, c => Assert.True(c.Truncated));
    }

    [Fact]
    public void OptionsOutOfRangeAreRejected()
    {
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => new BatchedSampler(new SamplingOptions { Temperature = -1 }));
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => new BatchedSampler(new SamplingOptions { TopP = 0 }));
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => new BatchedSampler(new SamplingOptions { MaxNewTokens = 0 }));
    }

    [Fact]
    public void SamplingLeavesTheModelInTrainingModeIfItWas()
    {
        using var model = TinyModels.Create();
        model.train();
        Sample(model, new SamplingOptions { MaxNewTokens = 2 });
        Assert.True(model.training);
    }
}
