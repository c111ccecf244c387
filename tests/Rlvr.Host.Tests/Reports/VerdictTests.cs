using Rlvr.Reporting;
using Rlvr.Host.Statistics;

namespace Rlvr.Host.Tests.Reports;

/// <summary>The rule for a finding: five seeds and a Holm-adjusted paired t-test below 0.05, or "no difference" with the estimate.</summary>
public sealed class VerdictTests
{
    // Five seeds that each moved up by about 0.1: d̄ = 0.1, s_d = 0.0158, t = 14.1 with 4 df.
    private static readonly PairedDifference s_up = PairedDifference.Of([0.08, 0.09, 0.10, 0.11, 0.12]);

    [Fact]
    public void AnAdjustedPBelowFivePercentWithFiveSeedsIsAFindingEitherWay()
    {
        Assert.StartsWith("higher (d = +0.100, 95% CI [+0.080, +0.120], Holm p = ", Verdict.Of(s_up, s_up.TestP));
        var down = PairedDifference.Of([.. s_up.Differences.Select(d => -d)]);
        Assert.StartsWith("lower (d = -0.100, 95% CI [-0.120, -0.080]", Verdict.Of(down, down.TestP));
    }

    [Fact]
    public void OtherwiseItIsNoDifferenceWithTheMeanAndItsInterval()
    {
        // The same seeds, but Holm's correction over a large family lifted p above 0.05.
        Assert.Equal("no difference (d = +0.100, 95% CI [+0.080, +0.120])", Verdict.Of(s_up, adjustedP: 0.06));
        var mixed = PairedDifference.Of([0.05, -0.04, 0.02, -0.01, 0.03]);
        Assert.StartsWith("no difference (d = +0.010, 95% CI [-", Verdict.Of(mixed, mixed.TestP));
    }

    [Fact]
    public void FewerSeedsThanAVerdictNeedsSayWhyThereIsNone()
    {
        // Three seeds that all moved by 0.1 give t-test p = 0, yet three seeds are not enough for a verdict.
        var three = PairedDifference.Of([0.1, 0.1, 0.1]);
        Assert.Equal("no verdict (3 seeds; a verdict needs 5): d = +0.100, 95% CI [+0.100, +0.100]", Verdict.Of(three, three.TestP));
        Assert.Equal("no verdict (1 seed; a verdict needs 5): d = +0.200", Verdict.Of(PairedDifference.Of([0.2]), double.NaN));
    }

    [Fact]
    public void AFamilyIsHolmAdjustedOverTheDifferencesWithEnoughSeeds()
    {
        var three = PairedDifference.Of([0.1, 0.2, 0.3]);
        var tested = TestedDifference.Family([("a", "pass@1", s_up), ("a", "pass@8", s_up), ("b", "pass@1", three)]);

        Assert.Equal(Holm.Adjust([s_up.TestP, s_up.TestP]), tested.Take(2).Select(t => t.AdjustedP));   // the 3-seed test is not one of m
        Assert.True(double.IsNaN(tested[2].AdjustedP));
        Assert.StartsWith("higher", tested[0].Verdict);
        Assert.StartsWith("no verdict (3 seeds", tested[2].Verdict);
    }
}
