using Rlvr.Reporting;
using Rlvr.Host.Statistics;
using Rlvr.Host.Studies;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class CrossoverTests
{
    // A sharpened arm: it always solves a and never b; the base solves each a quarter of the time.
    // Base pass@k = 1/4, 1/2, 1 at k = 1, 2, 4; arm = 1/2 at every k: ahead at k = 1, tied at 2, behind at 4.
    private static readonly SeedPair s_sharpened = new(1,
        Evaluated(Counts("a", 4, 1), Counts("b", 4, 1)),
        Evaluated(Counts("a", 4, 4), Counts("b", 4, 0)));

    // An arm that solves what the base never does: base 1/8, 1/4, 1/2; arm 1/4, 1/2, 1.
    private static readonly SeedPair s_better = new(2,
        Evaluated(Counts("a", 4, 1), Counts("b", 4, 0)),
        Evaluated(Counts("a", 4, 1), Counts("b", 4, 1)));

    // Base 2 of 4 on both: 1/2, 5/6, 1. Arm 4 of 4 on a, 1 of 4 on b: 5/8, 3/4, 1. Ahead at 1, behind at 2, tied at 4.
    private static readonly SeedPair s_early = new(3,
        Evaluated(Counts("a", 4, 2), Counts("b", 4, 2)),
        Evaluated(Counts("a", 4, 4), Counts("b", 4, 1)));

    [Fact]
    public void TheBaseOvertakesWhereItIsFirstStrictlyAheadNotWhereTheCurvesTouch()
    {
        var crossover = Crossover.Of("rl", [s_sharpened]);
        Assert.Equal([new Crossing(4, Leader.Base)], crossover.OverSeedMean.Crossings);
        Assert.Equal(Leader.Arm, crossover.OverSeedMean.First);
        Assert.Equal("base from 4", Assert.Single(crossover.PerSeed).Order.Short());
        Assert.Equal([0.25, 0.5, 1.0], crossover.BaseMean);
        Assert.Equal([0.5, 0.5, 0.5], crossover.ArmMean);
        Assert.Equal(ArmComparison.Of(s_sharpened.Base, s_sharpened.Arm).Order.Crossings, crossover.OverSeedMean.Crossings);
    }

    [Fact]
    public void AnArmThatLeadsAtEveryKHasNone()
    {
        var crossover = Crossover.Of("rl", [s_better]);
        Assert.Empty(crossover.OverSeedMean.Crossings);
        Assert.Equal("none (arm ahead)", crossover.OverSeedMean.Short());
        Assert.Equal("no crossing: the arm is ahead wherever the curves differ", ArmComparison.Of(s_better.Base, s_better.Arm).Order.Describe());
    }

    [Fact]
    public void ATieAtTheCeilingIsATieNotACrossing()
    {
        // Base 1 of 4: 1/4, 1/2, 1; arm 4 of 4: 1 at every k. Both reach 1.000 at k = 4.
        var order = ArmComparison.Of(Evaluated(Counts("a", 4, 1)), Evaluated(Counts("a", 4, 4))).Order;
        Assert.Empty(order.Crossings);
        Assert.Equal(4, order.TiedFrom);
        Assert.Equal("no crossing: the arm is ahead wherever the curves differ; tied from k = 4 (a tie, not a crossing)", order.Describe());
        Assert.Equal("none (tied)", ArmComparison.Of(Evaluated(Counts("a", 4, 2)), Evaluated(Counts("a", 4, 2))).Order.Short());
    }

    [Fact]
    public void AnSftArmThatOvertakesItsBaseAtK32IsNamedAsTheArmOvertaking()
    {
        // 8 problems, n = 64. The base solves 4 every time and never the others: pass@k = 0.500 at every k. The arm
        // solves those 4 with 4 of 64 and one more with 1 of 64: pass@1 (4·4 + 1)/64/8 = 0.033, pass@16
        // (4·(1 − C(60,16)/C(64,16)) + 16/64)/8 = 0.378, pass@32 (4·(1 − C(60,32)/C(64,32)) + 1/2)/8 = 0.534, pass@64 5/8 = 0.625.
        // The old rule ("the first k where the base meets or beats the arm") printed k = 1 for this.
        var baseline = Evaluated([.. Enumerable.Range(0, 8).Select(i => Counts($"p{i}", 64, i < 4 ? 64 : 0))]);
        var arm = Evaluated([.. Enumerable.Range(0, 8).Select(i => Counts($"p{i}", 64, i < 4 ? 4 : i == 4 ? 1 : 0))]);
        var order = ArmComparison.Of(baseline, arm).Order;
        Assert.Equal([new Crossing(32, Leader.Arm)], order.Crossings);
        Assert.Equal(Leader.Base, order.First);
        Assert.Equal("the arm overtakes the base at k = 32", order.Describe());
        var crossover = Crossover.Of("sft", [new SeedPair(1, baseline, arm)]);
        Assert.Equal(0.378, crossover.ArmMean[4], precision: 3);
        Assert.Equal(0.534, crossover.ArmMean[5], precision: 3);
        Assert.Equal(0.625, crossover.ArmMean[6], precision: 3);
    }

    [Fact]
    public void EachSeedHasItsOwnAndTheMedianAndRangeAreTakenPerDirection()
    {
        var crossover = Crossover.Of("rl", [s_sharpened, s_better, s_early]);
        Assert.Equal(["base from 4", "none (arm ahead)", "base from 2, tied from 4"], crossover.PerSeed.Select(s => s.Order.Short()));
        Assert.Equal((3.0, 2, 4, 2), crossover.AcrossSeeds(Leader.Base));
        Assert.Null(crossover.AcrossSeeds(Leader.Arm));
        // d(k) per seed: k = 1: +1/4, +1/8, +1/8; its mean +1/6, and the mean curves' difference.
        Assert.Equal([0.25, 0.125, 0.125], crossover.Difference[0].Differences);
        Assert.Equal(crossover.ArmMean[0] - crossover.BaseMean[0], crossover.Difference[0].Mean, precision: 12);
    }

    [Fact]
    public void ACrossingIsDecidedOnlyWhenTheDifferencesOnBothSidesAreDecided()
    {
        // With 3 seeds, t(0.975, 2) = 4.303: [0.20, 0.25, 0.30] gives 0.25 ± 4.303 · 0.05/√3 = [0.126, 0.374];
        // [−0.40, −0.50, −0.45] gives [−0.574, −0.326]; [0.20, −0.10, 0.30] gives 0.133 ± 0.517, which holds 0.
        static Crossover With(params double[][] d) => new("rl", 4, [], CurveOrder.Of([1, 2, 4], [0, 0, 0], [.. d.Select(x => x.Average())]),
            [0, 0, 0], [.. d.Select(x => x.Average())], [.. d.Select(x => PairedDifference.Of(x))]);
        var decided = With([0.20, 0.25, 0.30], [0.0, 0.01, -0.01], [-0.40, -0.50, -0.45]);
        Assert.Equal([new Crossing(4, Leader.Base)], decided.OverSeedMean.Crossings);
        Assert.True(decided.Decided(decided.OverSeedMean.Crossings[0]));
        var undecided = With([0.20, -0.10, 0.30], [0.0, 0.01, -0.01], [-0.40, -0.50, -0.45]);
        Assert.False(undecided.Decided(undecided.OverSeedMean.Crossings[0]));
        var oneSeed = With([0.25], [0.0], [-0.45]);
        Assert.False(oneSeed.Decided(oneSeed.OverSeedMean.Crossings[0]));
    }

    [Fact]
    public void UnequalNIsComparedAtTheSmallerN()
    {
        // The base drew 8 samples: 2 of 8 right is pass@1 1/4, pass@2 13/28, pass@4 11/14; the arm's 4 samples
        // (1 right: 1/4, 1/2, 1) stop the comparison at k = 4. Tied at 1, the arm ahead at 2 and 4.
        var pair = new SeedPair(1, Evaluated(Counts("a", 8, 2)), Evaluated(Counts("a", 4, 1)));
        var crossover = Crossover.Of("rl", [pair]);
        Assert.Equal(4, crossover.Samples);
        Assert.Equal([1, 2, 4], crossover.Ks);
        Assert.Equal("none (arm ahead)", crossover.OverSeedMean.Short());
    }
}
