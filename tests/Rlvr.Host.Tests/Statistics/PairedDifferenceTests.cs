using Rlvr.Host.Statistics;

namespace Rlvr.Host.Tests.Statistics;

/// <summary>The paired seed-level statistics against values worked out by hand.</summary>
public sealed class PairedDifferenceTests
{
    [Fact]
    public void FiveSeedsGiveTheTIntervalTheTestAndTheExactSignFlipWorkedByHand()
    {
        // d = 0.1, 0.2, 0.3, 0.4, 0.5: mean 0.3, s_d = sqrt(0.025) = 0.158114, se = 0.0707107, t = 4.242641;
        // t_{0.975, 4} = 2.776445, so the interval is 0.3 ± 0.196324; p = 2 P(T_4 > 4.242641) = 0.013236.
        // Sign flips: only all-plus and all-minus reach |sum| = 1.5, so p = 2 / 32.
        var d = PairedDifference.Of([0.6, 0.7, 0.8, 0.9, 1.0], [0.5, 0.5, 0.5, 0.5, 0.5]);
        Assert.Equal(0.3, d.Mean, 12);
        Assert.Equal(0.3 - 0.196324, d.Lower, 5);
        Assert.Equal(0.3 + 0.196324, d.Upper, 5);
        Assert.Equal(0.013236, d.TestP, 5);
        Assert.Equal(2.0 / 32, d.SignFlipP, 12);
        Assert.Equal(0.3 / Math.Sqrt(0.025), d.EffectSize, 9);
    }

    [Fact]
    public void ASignFlipCountsTiesAsExtremeAndOneSeedGivesNoInterval()
    {
        // 1, -1, 1: sums of the 8 patterns are ±1 (6 of them) and ±3 (2); |observed| = 1, so every pattern counts.
        Assert.Equal(1.0, PairedDifference.Of([1.0, -1.0, 1.0]).SignFlipP, 12);
        var one = PairedDifference.Of([0.2]);
        Assert.True(double.IsNaN(one.Lower) && double.IsNaN(one.TestP));
        Assert.Equal(1.0, one.SignFlipP, 12);
    }

    [Fact]
    public void HolmAdjustsStepDownAndKeepsTheOrder()
    {
        // Sorted 0.01, 0.02, 0.04 with m = 3: 0.03, max(0.03, 0.04) = 0.04, max(0.04, 0.04) = 0.04.
        Assert.Equal([0.04, 0.03, 0.04], Holm.Adjust([0.04, 0.01, 0.02]).Select(p => Math.Round(p, 12)));
        var withNaN = Holm.Adjust([double.NaN, 0.02]);
        Assert.True(double.IsNaN(withNaN[0]));
        Assert.Equal(0.02, withNaN[1], 12);
    }

    [Fact]
    public void EqualDifferencesInEverySeedAreTestedByTheSignFlipNotByAZeroWidthT()
    {
        // Five seeds that each lost exactly one problem of 80: no spread, so t is undefined; the sign flip gives 2 / 32.
        var d = PairedDifference.Of([-0.0125, -0.0125, -0.0125, -0.0125, -0.0125]);
        Assert.Equal(2.0 / 32, d.TestP, 12);
        Assert.Equal(d.SignFlipP, d.TestP);
        Assert.True(double.IsNaN(d.Lower) && double.IsNaN(d.Upper));
        Assert.Equal(1.0, PairedDifference.Of([0.0, 0.0, 0.0, 0.0, 0.0]).TestP);
    }
}
