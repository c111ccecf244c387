// Each reward on hand-made verifications: right, a wrong step, a wrong answer, no steps and malformed input.
using Microsoft.Extensions.Options;
using Rlvr.Plugins.Rewards.Tests.Support;
using Rlvr.Rewards;
using Rlvr.Rewards.Functions;
using Rlvr.Tasks;
using static Rlvr.Plugins.Rewards.Tests.Support.Verifications;

namespace Rlvr.Plugins.Rewards.Tests;

public class RewardFunctionTests
{
    private static readonly TerminalReward Terminal = new();
    private static readonly StrictReward Strict = new();

    private static ProcessReward Process(double correct = 1.0, double wrong = 0.0, bool includeAnswer = true) =>
        new(Options.Create(new ProcessRewardOptions { CorrectStep = correct, WrongStep = wrong, IncludeAnswer = includeAnswer }));

    public static TheoryData<string, double, double> OutcomeCases => new()
    {
        { nameof(Right), 1.0, 1.0 },
        { nameof(WrongStepRightAnswer), 1.0, 0.0 },
        { nameof(WrongAnswer), 0.0, 0.0 },
        { "NoSteps", 0.0, 0.0 },
        { "RightAnswerNoSteps", 1.0, 0.0 },
    };

    private static Verification Named(string name) => name switch
    {
        nameof(Right) => Right,
        nameof(WrongStepRightAnswer) => WrongStepRightAnswer,
        nameof(WrongAnswer) => WrongAnswer,
        "NoSteps" => Verification.Wrong,
        "RightAnswerNoSteps" => new Verification(true, []),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(OutcomeCases))]
    public void TerminalAndStrictScoreTheOutcome(string verification, double terminal, double strict)
    {
        var t = Terminal.Score(Sum, Completion, Named(verification));
        var s = Strict.Score(Sum, Completion, Named(verification));
        Assert.Equal(terminal, t.Value);
        Assert.Null(t.Steps);
        Assert.Equal(strict, s.Value);
        Assert.Null(s.Steps);
    }

    [Fact]
    public void StrictAgreesWithAllStepsCorrect()
    {
        foreach (var v in new[] { Right, WrongStepRightAnswer, WrongAnswer, Verification.Wrong, new Verification(true, []) })
            Assert.Equal(v.AllStepsCorrect ? 1.0 : 0.0, Strict.Score(Sum, Completion, v).Value);
    }

    [Fact]
    public void ProcessRewardsEveryStepAndTheAnswerAtTheirEnds()
    {
        var score = Process().Score(Sum, Completion, Right);
        Assert.Equal(1.0, score.Value);
        Assert.Equal([new StepReward(8, 1.0), new StepReward(16, 1.0), new StepReward(Completion.Length, 1.0)], score.Steps);
    }

    [Fact]
    public void ProcessGivesAWrongStepItsValueAndKeepsTheAnswerSeparate()
    {
        var score = Process(correct: 1.0, wrong: -0.5).Score(Sum, Completion, WrongStepRightAnswer);
        Assert.Equal(1.0, score.Value);
        Assert.Equal([new StepReward(8, -0.5), new StepReward(16, 1.0), new StepReward(18, 1.0)], score.Steps);
    }

    [Fact]
    public void ProcessWithAWrongAnswerScoresZeroAndAWrongLastStep()
    {
        var score = Process().Score(Sum, Completion, WrongAnswer);
        Assert.Equal(0.0, score.Value);
        Assert.Equal([new StepReward(8, 1.0), new StepReward(16, 1.0), new StepReward(18, 0.0)], score.Steps);
    }

    [Fact]
    public void ProcessWithoutTheAnswerHasOnlyTheVerifiersSteps()
    {
        var score = Process(includeAnswer: false).Score(Sum, Completion, WrongAnswer);
        Assert.Equal(0.0, score.Value);
        Assert.Equal([new StepReward(8, 1.0), new StepReward(16, 1.0)], score.Steps);
    }

    [Fact]
    public void ProcessOfGarbageIsOneWrongAnswerStep()
    {
        var score = Process().Score(Sum, "@@", Verification.Wrong);
        Assert.Equal(0.0, score.Value);
        Assert.Equal([new StepReward(2, 0.0)], score.Steps);
        Assert.Empty(Process(includeAnswer: false).Score(Sum, "@@", Verification.Wrong).Steps!);
    }

    [Fact]
    public void ProcessClampsSpansThatLeaveTheCompletion()
    {
        var odd = new Verification(false, [new(0, 50, 1.0), new(-10, 5, 0.0), new(3, 2, double.NaN)]);
        var score = Process().Score(Sum, "1:2+3", odd);
        Assert.Equal([new StepReward(5, 1.0), new StepReward(0, 0.0), new StepReward(5, 0.0), new StepReward(5, 0.0)], score.Steps);
    }

    [Fact]
    public void NoRewardThrowsOnNullInput()
    {
        foreach (var reward in new IReward[] { Terminal, Strict, Process() })
            Assert.Equal(0.0, reward.Score(null!, null!, null!).Value);

        var noStepList = new Verification(true, null!);
        Assert.Equal(1.0, Terminal.Score(Sum, Completion, noStepList).Value);
        Assert.Equal(0.0, Strict.Score(Sum, Completion, noStepList).Value);
        Assert.Equal([new StepReward(Completion.Length, 1.0)], Process().Score(Sum, Completion, noStepList).Steps);
        Assert.Equal([new StepReward(0, 0.0)], Process().Score(Sum, null!, null!).Steps);
    }

    [Fact]
    public void RewardsAreThreadSafe()
    {
        var process = Process(wrong: -1.0);
        var expected = process.Score(Sum, Completion, WrongStepRightAnswer);
        Parallel.For(0, 2000, _ =>
        {
            var score = process.Score(Sum, Completion, WrongStepRightAnswer);
            Assert.Equal(expected.Value, score.Value);
            Assert.Equal(expected.Steps, score.Steps);
        });
    }
}
