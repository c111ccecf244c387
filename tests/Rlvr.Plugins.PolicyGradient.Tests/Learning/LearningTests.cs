// From a tiny pretrained base, each algorithm must raise the training reward within a fixed number of steps. The
// reward is measured before and after on a fixed probe set, many samples each, so noise cannot pass or fail the test.
using Microsoft.Extensions.Options;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient.Tests.Learning;

public sealed class LearningTests(PretrainedBase world, ITestOutputHelper output) : IClassFixture<PretrainedBase>
{
    private const int Steps = 40;

    [Fact]
    public void GrpoRaisesTrainingReward() =>
        AssertLearns(new GrpoOptions { PromptsPerStep = 8, GroupSize = 8, LearningRate = 3e-4, WarmupSteps = 0 }, "terminal");

    [Fact]
    public void PpoRaisesTrainingReward() =>
        AssertLearns(new PpoOptions { PromptsPerStep = 8, GroupSize = 8, LearningRate = 3e-4, WarmupSteps = 0, CriticLearningRate = 3e-3 }, "terminal");

    [Fact]
    public void GrpoProcessRaisesStepVerifiedAccuracy() =>
        AssertLearns(new GrpoProcessOptions { PromptsPerStep = 8, GroupSize = 8, LearningRate = 3e-4, WarmupSteps = 0 }, "process", metric: "step_verified_accuracy");

    private void AssertLearns<TOptions>(TOptions options, string reward, string metric = "reward_mean") where TOptions : PolicyOptimizationOptions
    {
        using var policy = world.Policy();
        var context = world.Context(policy, Steps, reward);
        double before = Probe(context, metric);
        using var session = new PolicyGradientAlgorithm<TOptions>(Options.Create(options), Parts.Services).Begin(context);
        var curve = new List<double>();
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            curve.Add(session.Step()[metric]);
        }
        double after = Probe(context, metric);
        output.WriteLine($"{typeof(TOptions).Name} {metric} on the probe set: {before:F3} -> {after:F3}; training curve {string.Join(" ", curve.Select(r => r.ToString("F2")))}");
        Assert.InRange(before, 0.05, 0.95);                                  // the base has headroom and some signal
        Assert.True(after > before + 0.04, $"{metric} {before:F3} -> {after:F3} did not rise by 0.04 in {Steps} steps");
    }

    // The metric over every two-term problem, 16 samples each (1,296 samples: its standard error is about 0.01).
    private static double Probe(TrainingContext context, string metric)
    {
        using var scope = NewDisposeScope();
        var batch = context.Rollouts.Generate(PretrainedBase.AllTwoTermProblems(), 16);
        return metric == "step_verified_accuracy" ? batch.Verifications.Average(v => v.AllStepsCorrect ? 1.0 : 0.0) : batch.Rewards.Average(r => r.Value);
    }
}

/// <summary>A non-finite loss stops the step before the optimiser moves anything.</summary>
public sealed class NonFiniteLossTests(PretrainedBase world) : IClassFixture<PretrainedBase>
{
    [Fact]
    public void ANaNParameterThrowsAndLeavesThePolicyAsItWas()
    {
        using var policy = world.Policy();
        var context = world.Context(policy, totalSteps: 1, "terminal");
        using var session = new PolicyGradientAlgorithm<GrpoOptions>(Options.Create(new GrpoOptions { PromptsPerStep = 2, GroupSize = 4 }), Parts.Services).Begin(context);
        var head = policy.Module.parameters().Last();
        using (no_grad()) head.view(-1)[0] = float.NaN;                              // poisons every logit that reads it
        var before = policy.Module.parameters().Select(p => p.clone()).ToList();

        var error = Assert.Throws<ArithmeticException>(() => { using var scope = NewDisposeScope(); session.Step(); });
        Assert.Contains("LearningRate", error.Message);
        foreach (var (now, then) in policy.Module.parameters().Zip(before))
            Assert.True(now.allclose(then, rtol: 0, atol: 0, equal_nan: true));
    }
}

/// <summary>
/// lp_old from the KV-cached sampler must be the training forward's log-probability of the same tokens, at the rollout's
/// temperature: on policy the importance ratio is then exactly 1, whatever τ and top-p.
/// </summary>
public sealed class SampleLogProbTests(PretrainedBase world) : IClassFixture<PretrainedBase>
{
    [Theory]
    [InlineData(true, 1.0, 1.0)]      // the pretrained base: completions end where the solution ends
    [InlineData(false, 1.0, 1.0)]     // an untrained model: long, ragged completions up to the token limit
    [InlineData(true, 0.6, 0.95)]     // tempered nucleus sampling: before the fix the nucleus renormalisation alone put lp_old 0.04-0.05 above
    [InlineData(false, 0.6, 0.95)]
    public void SamplerLogProbsEqualTheTrainingForward(bool pretrained, double temperature, double topP)
    {
        using var policy = pretrained ? world.Policy() : world.Architecture.Create(world.Tokenizer.VocabularySize, CPU, seed: 5);
        var context = world.Context(policy, totalSteps: 1, new SamplingOptions { Temperature = temperature, TopP = topP, MaxNewTokens = 28, Seed = 7 }, "terminal");
        using var scope = NewDisposeScope();
        // Prompts of different lengths, so the sampler left-pads them and counts positions from each row's first token.
        Problem[] problems = [new("a", "1+2=", "", "3", 2), new("b", "12+34+5=", "", "51", 3), new("c", "3+4+5+6=", "", "18", 4), new("d", "99+1=", "", "100", 2)];
        var batch = context.Rollouts.Generate(problems, 8);
        using var noGrad = no_grad();
        var lp = TokenLogProbs.Of(policy.Forward(batch.Tokens), batch.Tokens, context.Rollouts.Temperature);
        double gap = ((lp - batch.SampleLogProbs) * batch.CompletionMask).abs().max().item<float>();
        Assert.True(gap < 1e-4, $"the sampler's log-probs differ from the training forward's by up to {gap}");
        Assert.True(batch.CompletionMask.sum().item<float>() > batch.Count * 5);      // the check covered real completions
    }
}
