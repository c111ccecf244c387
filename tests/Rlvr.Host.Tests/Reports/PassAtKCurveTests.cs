using Rlvr.Host.Evaluation;
using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class PassAtKCurveTests
{
    [Fact]
    public void TheCurveIsTheMeanOverSeedsOfTheMeanOverProblems()
    {
        // Seed 1: c = 1 and 2 of n = 4. pass@1 = (1/4 + 2/4)/2; pass@2 = (1 − 3/6 + 1 − 1/6)/2; pass@4 = 1.
        // Seed 2: c = 0 and 4 of 4: every pass@k is (0 + 1)/2.
        var curve = PassAtKCurve.Of("arm", [[Counts("a", 4, 1), Counts("b", 4, 2)], [Counts("a", 4, 0), Counts("b", 4, 4)]]);
        Assert.Equal([1, 2, 4], curve.Ks);
        Assert.Equal(2, curve.Seeds);
        Assert.Equal((0.375 + 0.5) / 2, curve.Points[0].Mean, precision: 12);
        Assert.Equal(((0.5 + 5.0 / 6) / 2 + 0.5) / 2, curve.Points[1].Mean, precision: 12);
        Assert.Equal(0.75, curve.Points[2].Mean, precision: 12);
        Assert.All(curve.Points, p => Assert.True(p.Lower <= p.Mean && p.Mean <= p.Upper && p.Lower >= 0 && p.Upper <= 1, p.ToString()));
    }

    [Fact]
    public void TheGapCurveIsTheMeanPairedDifferenceWithItsSeedLevelInterval()
    {
        // Base c = 1 of 4 on every problem. Seed 1's arm c = 2 on half of the problems, seed 2's on all of them:
        // pass@1 d_s = 0.125 and 0.25, so d̄ = 0.1875 and the t-interval (1 df) is d̄ ± 12.706 · 0.0625.
        var baseline = Evaluated([.. Enumerable.Range(0, 20).Select(i => Counts($"p{i}", 4, 1))]);
        var half = Evaluated([.. Enumerable.Range(0, 20).Select(i => Counts($"p{i}", 4, i % 2 == 0 ? 2 : 1))]);
        var all = Evaluated([.. Enumerable.Range(0, 20).Select(i => Counts($"p{i}", 4, 2))]);
        var pairs = new[] { new SeedPair(1, baseline, half), new SeedPair(2, baseline, all) };

        var gap = PassAtKCurve.Gap("arm", pairs);
        var oneSeed = PassAtKCurve.Gap("arm", pairs[..1]);

        Assert.Equal([1, 2, 4], gap.Ks);
        Assert.Equal(0.1875, gap.Points[0].Mean, precision: 12);
        Assert.Equal(0.1875 - 12.706204736 * 0.0625, gap.Points[0].Lower, precision: 6);
        Assert.Equal(0.1875 + 12.706204736 * 0.0625, gap.Points[0].Upper, precision: 6);
        Assert.Equal(0, gap.Points[2].Upper - gap.Points[2].Lower, precision: 12);   // pass@4 is 1 for both everywhere
        // One seed has no spread to build an interval from: the band is the mean alone, not the problems' bootstrap.
        Assert.Equal(0.125, oneSeed.Points[0].Mean, precision: 12);
        Assert.Equal(oneSeed.Points[0].Mean, oneSeed.Points[0].Lower);
        Assert.Equal(oneSeed.Points[0].Mean, oneSeed.Points[0].Upper);
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;
        public int GetHashCode(double value) => 0;
    }

    [Fact]
    public void AtASmallerNTheCurveStopsThereAndReEstimatesFromTheCounts()
    {
        var curve = PassAtKCurve.Of("base", [[Counts("a", 8, 2), Counts("b", 8, 0)]], samples: 2);
        Assert.Equal([1, 2], curve.Ks);
        Assert.Equal(PassAtK.Estimate(8, 2, 2) / 2, curve.Points[1].Mean, precision: 12);   // 1 − C(6,2)/C(8,2) = 13/28, halved
        Assert.Null(curve.At(4));
    }

    [Fact]
    public void WithOneSeedTheBandIsTheEvaluationsOwnInterval()
    {
        var problems = Enumerable.Range(0, 30).Select(i => Counts($"p{i}", 16, i % 7)).ToArray();
        var curve = PassAtKCurve.Of("base", [problems]);
        var evaluation = Evaluated(problems);
        Assert.Equal(evaluation.PassAtK.Select(r => r.Answer), curve.Points);
    }

    [Fact]
    public void SeveralSeedsWidenTheBandWhenTheSeedsDisagree()
    {
        var low = Enumerable.Range(0, 20).Select(i => Counts($"p{i}", 8, 1)).ToArray();
        var high = Enumerable.Range(0, 20).Select(i => Counts($"p{i}", 8, 5)).ToArray();
        var oneSeed = PassAtKCurve.Of("arm", [low]);
        var twoSeeds = PassAtKCurve.Of("arm", [low, high]);
        Assert.Equal(0, oneSeed.Points[0].Upper - oneSeed.Points[0].Lower, precision: 12);   // every problem alike: problems alone carry no spread
        Assert.True(twoSeeds.Points[0].Upper - twoSeeds.Points[0].Lower > 0.3, twoSeeds.Points[0].ToString());   // 1/8 or 5/8 by seed
    }
}
