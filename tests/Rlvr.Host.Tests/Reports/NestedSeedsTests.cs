using Rlvr.Host.Evaluation;
using Rlvr.Reporting;
using Rlvr.Host.Statistics;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

/// <summary>RL seeds nested in base seeds: the base seed is the unit, its RL seeds averaged first; with one base, the RL seeds are the units.</summary>
public sealed class NestedSeedsTests
{
    // One problem, n = 4. Per pair the pass@1 difference is (c_arm − c_base) / 4:
    //   seed 1: base 1/4, arm 2/4 and 4/4  -> 0.25, 0.75 -> d_1 = 0.5
    //   seed 2: base 2/4, arm 2/4 and 3/4  -> 0,    0.25 -> d_2 = 0.125
    //   seed 3: base 0/4, arm 1/4 and 1/4  -> 0.25, 0.25 -> d_3 = 0.25
    // pass@4 is 1 once a problem is solved: d = 0, 0, 1 (seed 3's base never solves it, both its RL runs do).
    private static readonly (int Seed, int Base, int[] Arm)[] s_study = [(1, 1, [2, 4]), (2, 2, [2, 3]), (3, 0, [1, 1])];

    private static List<SeedPair> Pairs((int Seed, int Base, int[] Arm)[] study) =>
        [.. study.SelectMany(s => s.Arm.Select((c, r) => new SeedPair(s.Seed, Evaluated(Counts("p", 4, s.Base)), Evaluated(Counts("p", 4, c)), RlSeed: r + 1)))];

    [Fact]
    public void EachBaseSeedsRlSeedsAreAveragedIntoOneDifference()
    {
        var (passAt1, passAtN, n) = SeedDifferences.Headline(Pairs(s_study));

        Assert.Equal(4, n);
        Assert.Equal([0.5, 0.125, 0.25], passAt1.Differences);
        Assert.Equal(3, passAt1.Seeds);                                     // three units, not six runs
        Assert.Equal(0.875 / 3, passAt1.Mean, precision: 12);
        // s_d = √((0.2083² + 0.1667² + 0.0417²) / 2) = 0.19094; the interval is d̄ ± t(0.975, 2) s_d / √3 = 0.29167 ± 4.3027 × 0.11024.
        Assert.Equal(0.875 / 3 - 4.302653 * 0.190941 / Math.Sqrt(3), passAt1.Lower, precision: 4);
        Assert.Equal([0.0, 0.0, 1.0], passAtN.Differences);
    }

    [Fact]
    public void TheTypologyAndTheCrossoverAverageWithinTheBaseSeedToo()
    {
        var pairs = Pairs(s_study);
        var bins = Typology.Of("arm", pairs);
        // Seeds 1 and 2's base solves the problem sometimes (1/4, 2/4), seed 3's never.
        Assert.Equal([0.5, 0.125], bins.Single(b => b.Bin == BaseSolveRate.Sometimes).PassAt1!.Differences);
        Assert.Equal([0.25], bins.Single(b => b.Bin == BaseSolveRate.Never).PassAt1!.Differences);
        Assert.Equal([1, 1, 1, 1, 0, 0], bins.Single(b => b.Bin == BaseSolveRate.Sometimes).Problems);   // per run, as counted

        var crossover = Crossover.Of("arm", pairs);
        Assert.Equal([0.5, 0.125, 0.25], crossover.Difference[0].Differences);
        Assert.Equal((0.25 + 0.5 + 0) / 3, crossover.BaseMean[0], precision: 12);                          // each base once
        Assert.Equal((0.75 + 0.625 + 0.25) / 3, crossover.ArmMean[0], precision: 12);                      // each base's RL mean once
    }

    [Fact]
    public void WithOneBaseSeedTheRlSeedsAreTheUnitsAndTheClaimCoversThatBase()
    {
        var pairs = Pairs([(1, 1, [2, 4, 1, 3])]);
        var (passAt1, _, _) = SeedDifferences.Headline(pairs);

        Assert.Equal([0.25, 0.75, 0.0, 0.5], passAt1.Differences);
        Assert.Equal("1 base seed x 4 RL seeds; unit: RL seed: the claim covers this base only", SeedUnits.Describe([.. pairs.Select(p => (p.Seed, p.RlSeed))]));
        Assert.Equal("3 base seeds x 2 RL seeds; unit: base seed, RL seeds averaged within it",
            SeedUnits.Describe([.. Pairs(s_study).Select(p => (p.Seed, p.RlSeed))]));
        Assert.Equal("5 base seeds; unit: base seed", SeedUnits.Describe([.. Enumerable.Range(1, 5).Select(s => (s, (int?)null))]));
    }

    [Fact]
    public void WithoutRlSeedsEveryPairIsItsOwnUnitUnchanged()
    {
        double[] values = [0.1, -0.3, 0.7];
        Assert.Equal(values, SeedUnits.Means([4, 2, 9], values));
        Assert.Equal([0.1], SeedUnits.Means([4], [0.1]));
        Assert.Equal([2.0, double.NaN], SeedUnits.Means([1, 1, 2], [double.NaN, 2.0, double.NaN]));   // a run with nothing to measure is left out
    }

    [Fact]
    public void TheReportReadsRlSeedFoldersAndSaysWhatTheClaimCovers()
    {
        using var folder = new FakeStudy();
        foreach (var (seed, baseCorrect, arm) in s_study)
        {
            folder.Run("base", seed, Evaluated(Counts("p", 4, baseCorrect)));
            for (int r = 0; r < arm.Length; r++) folder.RlRun("rl", seed, r + 1, Evaluated(Counts("p", 4, arm[r])));
        }
        var study = StudyLoader.Load(folder.Folder);
        Assert.Equal([(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)], study.Evaluated("rl").Select(r => (r.Seed, r.RlSeed!.Value)));
        Assert.All(study.Evaluated("base"), r => Assert.Null(r.RlSeed));

        var (markdown, _) = StudyReport.Write(study, SupportLikelihood.NotAvailable("no model in this test"));
        string text = File.ReadAllText(markdown);
        Assert.Contains("rl: 3 base seeds x 2 RL seeds; unit: base seed, RL seeds averaged within it", text);
        var verdicts = MarkdownTables.After(text, "**Verdicts.**");
        var passAt1 = verdicts.Rows.Single(r => r[0] == "rl" && r[1] == "pass@1");
        Assert.Equal("3", passAt1[2]);
        Assert.Equal(0.875 / 3, double.Parse(passAt1[3], System.Globalization.CultureInfo.InvariantCulture), precision: 3);
    }
}
