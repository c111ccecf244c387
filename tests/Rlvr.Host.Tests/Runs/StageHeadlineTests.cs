using Rlvr.Host.Runs;

namespace Rlvr.Host.Tests.Runs;

/// <summary>A progress bar's metric is the current step's, or says which step it is from.</summary>
public sealed class StageHeadlineTests
{
    private static StageProgress Step(int step, params (string Name, double Value)[] metrics) =>
        new("base/seed-1", "pretrain", step, 100, metrics.ToDictionary(m => m.Name, m => m.Value));

    [Fact]
    public void AMetricFromAnEarlierStepIsMarkedWithThatStep()
    {
        var headline = new StageHeadline();

        Assert.Equal("", headline.After(Step(1)));
        Assert.Equal("loss 2.500", headline.After(Step(2, ("loss", 2.5))));
        Assert.Equal("loss 2.500 (at step 2)", headline.After(Step(51)));          // pretraining measures its loss only every LogEvery steps
        Assert.Equal("loss 1.250", headline.After(Step(60, ("loss", 1.25))));
        Assert.Equal("reward 0.300", headline.After(Step(61, ("reward_mean", 0.3))));
    }
}
