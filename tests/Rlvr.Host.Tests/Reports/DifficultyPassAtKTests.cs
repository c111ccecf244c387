using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class DifficultyPassAtKTests
{
    [Fact]
    public void EachDifficultyHoldsEachSeedsMeansOverItsProblems()
    {
        // n = 4. Seed 1, difficulty 2: a 2/4 (pass@1 1/2, pass@4 1) and b 0/4 (0, 0); difficulty 5: c 1/4 (1/4, 1).
        // Seed 2, difficulty 2: a 4/4 (1, 1) and b 1/4 (1/4, 1); difficulty 5: c 0/4 (0, 0).
        var perDifficulty = DifficultyPassAtK.Of(
        [
            [Counts("a", 4, 2, difficulty: 2), Counts("c", 4, 1, difficulty: 5), Counts("b", 4, 0, difficulty: 2)],
            [Counts("a", 4, 4, difficulty: 2), Counts("c", 4, 0, difficulty: 5), Counts("b", 4, 1, difficulty: 2)],
        ], k: 4);

        Assert.Equal([2, 5], perDifficulty.Select(d => d.Difficulty));
        var (two, five) = (perDifficulty[0], perDifficulty[1]);
        Assert.Equal([2, 2], two.Problems);
        Assert.Equal([0.25, 0.625], two.PassAt1);
        Assert.Equal([0.5, 1.0], two.PassAtK);
        Assert.Equal([1, 1], five.Problems);
        Assert.Equal([0.25, 0.0], five.PassAt1);
        Assert.Equal([1.0, 0.0], five.PassAtK);
        Assert.Equal(4, five.K);
        Assert.Equal("0.438 (0.250–0.625)", ReportContext.MeanOverSeeds(two.PassAt1));
        Assert.Equal("0.750 (0.500–1.000)", ReportContext.MeanOverSeeds(two.PassAtK));
        Assert.Equal("0.125 (0.000–0.250)", ReportContext.MeanOverSeeds(five.PassAt1));
    }

    [Fact]
    public void TheGapIsArmMinusBaseAtTheSmallerNOnTheProblemsBothEvaluated()
    {
        // Base n = 4, arm n = 2: compared at n' = 2. pass@2 of 1/4 is 1 − C(3,2)/C(4,2) = 1/2; of 2/4, 1 − 1/6 = 5/6.
        // Seed 1: difficulty 2, base 1/4 (1/4, 1/2) against arm 1/2 (1/2, 1); difficulty 3, base 2/4 (1/2, 5/6) against 0/2 (0, 0).
        //         Problem c, which the arm did not evaluate, is left out.
        // Seed 2: difficulty 2, base 0/4 (0, 0) against 2/2 (1, 1); difficulty 3, base 4/4 (1, 1) against 1/2 (1/2, 1).
        var gaps = DifficultyPassAtK.Gap(TwoSeeds());

        Assert.Equal([2, 3], gaps.Select(d => d.Difficulty));
        Assert.All(gaps, d => Assert.Equal(2, d.K));
        Assert.Equal([1, 1], gaps[0].Problems);
        Assert.Equal([0.25, 1.0], gaps[0].PassAt1);
        Assert.Equal([0.5, 1.0], gaps[0].PassAtK);
        Assert.Equal([-0.5, -0.5], gaps[1].PassAt1);
        Assert.Equal(-5 / 6.0, gaps[1].PassAtK[0], precision: 12);
        Assert.Equal(0.0, gaps[1].PassAtK[1], precision: 12);
        Assert.Equal("+0.625 (0.250–1.000)", ReportContext.MeanOverSeeds(gaps[0].PassAt1, signed: true));
        Assert.Equal("-0.417 (-0.833–0.000)", ReportContext.MeanOverSeeds(gaps[1].PassAtK, signed: true));
    }

    [Fact]
    public void TheOverallGapPairsEachSeedWithItsOwnBaseOverEveryProblem()
    {
        // The pairs above as one group. Seed 1: pass@1 gaps +1/4 (a) and −1/2 (b), mean −1/8; pass@2 +1/2 and −5/6, mean −1/6.
        // Seed 2: pass@1 +1 and −1/2, mean +1/4; pass@2 +1 and 0, mean +1/2. Over seeds: +1/16 and +1/6.
        var overall = Assert.Single(DifficultyPassAtK.Gap(TwoSeeds(), overall: true));

        Assert.Equal(DifficultyPassAtK.AllDifficulties, overall.Difficulty);
        Assert.Equal([2, 2], overall.Problems);
        Assert.Equal(-0.125, overall.PassAt1[0], precision: 12);
        Assert.Equal(0.25, overall.PassAt1[1], precision: 12);
        Assert.Equal(-1 / 6.0, overall.PassAtK[0], precision: 12);
        Assert.Equal(0.5, overall.PassAtK[1], precision: 12);
    }

    // Two seeds of a base (n = 4) and an arm (n = 2), difficulties 2 and 3; problem c only in seed 1's base.
    private static SeedPair[] TwoSeeds() =>
    [
        new SeedPair(1, Evaluated(Counts("a", 4, 1, difficulty: 2), Counts("b", 4, 2, difficulty: 3), Counts("c", 4, 4, difficulty: 2)),
            Evaluated(Counts("a", 2, 1, difficulty: 2), Counts("b", 2, 0, difficulty: 3))),
        new SeedPair(2, Evaluated(Counts("a", 4, 0, difficulty: 2), Counts("b", 4, 4, difficulty: 3)),
            Evaluated(Counts("a", 2, 2, difficulty: 2), Counts("b", 2, 1, difficulty: 3))),
    ];
}
