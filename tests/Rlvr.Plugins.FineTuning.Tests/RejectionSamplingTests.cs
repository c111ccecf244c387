// "rejection-sampling" with a fake rollout engine: it trains on what was rewarded, counts what it kept, and does
// nothing when nothing passes the threshold.
using Rlvr.FineTuning;
using Rlvr.Plugins.FineTuning.Tests.Support;
using Rlvr.Tasks;

namespace Rlvr.Plugins.FineTuning.Tests;

public class RejectionSamplingTests
{
    private const string Garbage = "==+=:=#=";                                      // alphabet characters in no learnable order

    private static readonly Problem[] Problems = [.. TinyWorld.Problems(4, seed: 11)];

    // Rows 0 and 1 of each group are the right solution (reward 1), rows 2 and 3 the garbage (reward 0).
    private static (string, double) HalfRight(Problem p, int g) => g < 2 ? (p.Solution, 1.0) : (Garbage, 0.0);

    [Fact]
    public void TrainingRaisesTheRewardedCompletionMoreThanTheRejectedOne()
    {
        using var policy = TinyWorld.Policy(seed: 2);
        var rollouts = new FixedRollouts(policy, TinyWorld.Tokenizer, HalfRight);
        var problem = Problems[0];
        double right0 = Measure.LogLikelihood(policy, problem.Prompt, problem.Solution);
        double wrong0 = Measure.LogLikelihood(policy, problem.Prompt, Garbage);

        using (var session = TinyWorld.RejectionSampling(TinyWorld.Context(policy, new FixedProblems(Problems), rollouts, totalSteps: 20),
            new RejectionSamplingOptions { LearningRate = 3e-3, WarmupSteps = 2, PromptsPerStep = 4, GroupSize = 4 }))
        {
            for (int s = 0; s < 20; s++) session.Step();
        }
        double rightGain = Measure.LogLikelihood(policy, problem.Prompt, problem.Solution) - right0;
        double wrongGain = Measure.LogLikelihood(policy, problem.Prompt, Garbage) - wrong0;

        Assert.Equal(20, rollouts.Calls);
        Assert.True(rightGain > 5, $"log p(right) rose by {rightGain:F2} nats");
        Assert.True(rightGain > wrongGain + 5, $"log p(right) rose by {rightGain:F2}, log p(garbage) by {wrongGain:F2}");
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public void KeepsRowsAtTheThresholdAndCountsThem(bool distinctOnly, int keptPerProblem)
    {
        using var policy = TinyWorld.Policy();
        var rollouts = new FixedRollouts(policy, TinyWorld.Tokenizer, HalfRight);
        using var session = TinyWorld.RejectionSampling(TinyWorld.Context(policy, new FixedProblems(Problems), rollouts),
            new RejectionSamplingOptions { PromptsPerStep = 4, GroupSize = 4, DistinctOnly = distinctOnly });

        var metrics = session.Step();

        Assert.Equal(keptPerProblem / 4.0, metrics["kept_fraction"]);
        Assert.Equal(0.5, metrics["reward_mean"]);
        Assert.Equal(keptPerProblem * Problems.Sum(p => p.Solution.Length + 1), metrics["tokens"]);
        Assert.Equal(0.5, metrics["answer_accuracy"]);
        Assert.Equal(Problems.Average(p => (p.Solution.Length + 1 + Garbage.Length + 1) / 2.0), metrics["length_mean"], 4);
        Assert.True(double.IsFinite(metrics["loss"]) && metrics["grad_norm"] > 0);
    }

    [Fact]
    public void KeepGroupsRowsByProblemAndNeverKeepsNaN()
    {
        using var policy = TinyWorld.Policy();
        // Problem 0: "a" twice at 1 and a NaN; problem 1: "a" at 1, "b" at 0.5 (below), "c" at 2.
        (string, double)[][] rows = [[("1", 1.0), ("1", 1.0), ("2", double.NaN)], [("1", 1.0), ("2", 0.5), ("3", 2.0)]];
        var rollouts = new FixedRollouts(policy, TinyWorld.Tokenizer, (p, g) => rows[Array.IndexOf(Problems, p)][g]);
        using var _ = TorchSharp.torch.NewDisposeScope();
        var batch = rollouts.Generate([Problems[0], Problems[1]], 3);

        Assert.Equal([(Problems[0].Prompt, "1"), (Problems[1].Prompt, "1"), (Problems[1].Prompt, "3")],
            RejectionSamplingAlgorithm.Keep(batch, 1.0, distinctOnly: true));
        Assert.Equal(4, RejectionSamplingAlgorithm.Keep(batch, 1.0, distinctOnly: false).Count);
        Assert.Single(RejectionSamplingAlgorithm.Keep(batch, 1.5, distinctOnly: false));
    }

    [Fact]
    public void NothingKeptMeansNoUpdate()
    {
        using var policy = TinyWorld.Policy();
        var rollouts = new FixedRollouts(policy, TinyWorld.Tokenizer, (p, g) => (p.Solution, 0.0));
        using var session = TinyWorld.RejectionSampling(TinyWorld.Context(policy, new FixedProblems(Problems), rollouts),
            new RejectionSamplingOptions { LearningRate = 1e-2, WarmupSteps = 0, PromptsPerStep = 4, GroupSize = 2 });
        var before = Measure.Snapshot(policy);

        var metrics = session.Step();

        Assert.True(Measure.Same(before, Measure.Snapshot(policy)), "parameters changed with nothing kept");
        Assert.Equal(0.0, metrics["kept_fraction"]);
        Assert.Equal(0.0, metrics["tokens"]);
        Assert.Equal(0.0, metrics["reward_mean"]);
        Assert.True(double.IsNaN(metrics["loss"]));
        Assert.Equal(1, rollouts.Calls);
    }
}
