using Rlvr.Host.Reports;
using Rlvr.Host.Studies;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class CrossoverTests
{
    // A sharpened arm: it always solves a and never b; the base solves each a quarter of the time.
    // Base pass@k = 1/4, 1/2, 1 at k = 1, 2, 4; arm = 1/2 at every k. The base meets the arm at k = 2.
    private static readonly SeedPair s_sharpened = new(1,
        Evaluated(Counts("a", 4, 1), Counts("b", 4, 1)),
        Evaluated(Counts("a", 4, 4), Counts("b", 4, 0)));

    // An arm that solves what the base never does: base 1/8, 1/4, 1/2; arm 1/4, 1/2, 1.
    private static readonly SeedPair s_better = new(2,
        Evaluated(Counts("a", 4, 1), Counts("b", 4, 0)),
        Evaluated(Counts("a", 4, 1), Counts("b", 4, 1)));

    [Fact]
    public void TheCrossoverIsTheSmallestKWhereTheBaseMeetsTheArm()
    {
        var crossover = Crossover.Of("rl", [s_sharpened]);
        Assert.Equal(2, Assert.Single(crossover.PerSeed).K);
        Assert.Equal(2, crossover.OverSeedMean);
        Assert.Equal([0.25, 0.5, 1.0], crossover.BaseMean);
        Assert.Equal([0.5, 0.5, 0.5], crossover.ArmMean);
        Assert.Equal(ArmComparison.Of(s_sharpened.Base, s_sharpened.Arm).CrossoverK, crossover.OverSeedMean);
    }

    [Fact]
    public void AnArmThatLeadsAtEveryKHasNone()
    {
        var crossover = Crossover.Of("rl", [s_better]);
        Assert.Null(crossover.OverSeedMean);
        Assert.Equal("none up to 4", ReportFormat.Crossover(crossover.OverSeedMean, crossover.Samples));
        Assert.Null(ArmComparison.Of(s_better.Base, s_better.Arm).CrossoverK);
    }

    [Fact]
    public void EachSeedHasItsOwnAndTheMeanCurvesHaveOne()
    {
        var crossover = Crossover.Of("rl", [s_sharpened, s_better]);
        Assert.Equal([(1, (int?)2), (2, null)], crossover.PerSeed);
        // Mean base 3/16, 3/8, 3/4; mean arm 3/8, 1/2, 3/4: they meet at k = 4.
        Assert.Equal(4, crossover.OverSeedMean);
    }

    [Fact]
    public void UnequalNIsComparedAtTheSmallerN()
    {
        // The base drew 8 samples: 2 of 8 right is pass@1 1/4, pass@2 13/28; the arm's 4 samples stop the comparison at k = 4.
        var pair = new SeedPair(1, Evaluated(Counts("a", 8, 2)), Evaluated(Counts("a", 4, 1)));
        var crossover = Crossover.Of("rl", [pair]);
        Assert.Equal(4, crossover.Samples);
        Assert.Equal([1, 2, 4], crossover.Ks);
        Assert.Equal(1, crossover.OverSeedMean);   // 1/4 ≥ 1/4 at k = 1
    }
}
