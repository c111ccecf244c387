using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Scoring;
using Rlvr.Rewards;
using Rlvr.Tasks;

namespace Rlvr.Host.Tests.Scoring;

/// <summary>A verifier or reward that throws or returns NaN scores the sample 0 and is counted; the batch goes on.</summary>
public sealed class ScorerTests
{
    private static readonly Problem s_problem = new("p", "1+2=", "1:1+2=3\n#3", "3", 2);

    private sealed class AnswerVerifier : IVerifier
    {
        public Verification Verify(Problem problem, string completion) =>
            new(completion.EndsWith("#" + problem.Answer, StringComparison.Ordinal), [new StepVerdict(0, 2, 1.0)]);
    }

    private sealed class ThrowingVerifier : IVerifier
    {
        public Verification Verify(Problem problem, string completion) => throw new FormatException("verifier bug");
    }

    private sealed class FixedReward(double value, IReadOnlyList<StepReward>? steps = null) : IReward
    {
        public RewardScore Score(Problem problem, string completion, Verification verification) => new(value, steps);
    }

    private sealed class ThrowingReward : IReward
    {
        public RewardScore Score(Problem problem, string completion, Verification verification) => throw new InvalidOperationException("reward bug");
    }

    [Fact]
    public void WeightedRewardsAreSummedAndStepsKeptInOrder()
    {
        var scorer = new Scorer(new AnswerVerifier(),
            [new("a", new FixedReward(1.0, [new StepReward(5, 1.0)]), 2.0), new("b", new FixedReward(0.5, [new StepReward(2, -1.0)]), 0.5)], NullLogger.Instance);
        var score = scorer.Score(s_problem, "1:1+2=3\n#3");
        Assert.True(score.Verification.AnswerCorrect);
        Assert.Equal(2.0 * 1.0 + 0.5 * 0.5, score.Combined.Value);                 // 2.25
        Assert.Equal([new StepReward(2, -0.5), new StepReward(5, 2.0)], score.Combined.Steps!);   // weighted, by position
        Assert.Equal([1.0, 0.5], score.ByFunction);
        Assert.Equal(0, scorer.Failures);
    }

    [Fact]
    public void AThrowingOrNaNRewardScoresZeroAndTheOthersStillCount()
    {
        var scorer = new Scorer(new AnswerVerifier(),
            [new("ok", new FixedReward(1.0), 1.0), new("throws", new ThrowingReward(), 1.0), new("nan", new FixedReward(double.NaN), 1.0),
             new("nan-step", new FixedReward(1.0, [new StepReward(1, double.PositiveInfinity)]), 1.0)], NullLogger.Instance);
        var score = scorer.Score(s_problem, "#3");
        Assert.Equal(1.0, score.Combined.Value);
        Assert.Equal([1.0, 0.0, 0.0, 0.0], score.ByFunction);
        Assert.Null(score.Combined.Steps);
        Assert.Equal(3, scorer.Failures);
    }

    [Fact]
    public void AThrowingVerifierScoresTheSampleWrong()
    {
        var scorer = new Scorer(new ThrowingVerifier(), [new("ok", new FixedReward(1.0), 1.0)], NullLogger.Instance);
        var score = scorer.Score(s_problem, "#3");
        Assert.False(score.Verification.AnswerCorrect);
        Assert.Empty(score.Verification.Steps);
        Assert.Equal(1, scorer.Failures);
    }
}
