using Rlvr.Host.Evaluation;
using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class TypologyTests
{
    // Two seeds, n = 40, each arm seed against its own base; the bins differ between the seeds' bases.
    //   seed 1: base p1 0, p2 0 (never), p3 1 (rare, 2.5%), p4 10, p5 20 (sometimes; 50% is still sometimes), p6 30 (often)
    //           arm  p1 0, p2 4,         p3 8,              p4 20, p5 20,                                  p6 28
    // Every change below is worked by hand from these counts.
    private static IReadOnlyList<SeedPair> Pairs() =>
    [
        new SeedPair(1,
            Evaluated(Counts("p1", 40, 0), Counts("p2", 40, 0), Counts("p3", 40, 1), Counts("p4", 40, 10), Counts("p5", 40, 20), Counts("p6", 40, 30)),
            Evaluated(Counts("p1", 40, 0), Counts("p2", 40, 4), Counts("p3", 40, 8), Counts("p4", 40, 20), Counts("p5", 40, 20), Counts("p6", 40, 28))),
        // seed 2: never p1, p6; rare p2 (1 of 40); sometimes p3 (10); often p4 (30), p5 (40).
        new SeedPair(2,
            Evaluated(Counts("p1", 40, 0), Counts("p2", 40, 1), Counts("p3", 40, 10), Counts("p4", 40, 30), Counts("p5", 40, 40), Counts("p6", 40, 0)),
            Evaluated(Counts("p1", 40, 2), Counts("p2", 40, 1), Counts("p3", 40, 30), Counts("p4", 40, 30), Counts("p5", 40, 38), Counts("p6", 40, 0))),
    ];

    [Theory]
    [InlineData(0, BaseSolveRate.Never)]
    [InlineData(1, BaseSolveRate.Rare)]
    [InlineData(2, BaseSolveRate.Sometimes)]   // 5% is no longer under 5%
    [InlineData(20, BaseSolveRate.Sometimes)]  // 50% is not over 50%
    [InlineData(21, BaseSolveRate.Often)]
    [InlineData(40, BaseSolveRate.Often)]
    public void ABaseResultFallsIntoTheBinOfItsPassRate(int correct, BaseSolveRate bin) =>
        Assert.Equal(bin, Typology.BinOf(Counts("p", 40, correct)));

    [Fact]
    public void EachBinHoldsTheSeedLevelPairedChangeOfItsProblems()
    {
        var bins = Typology.Of("rl", Pairs()).ToDictionary(b => b.Bin);

        // never: seed 1 pass@1 (0 + 4/40)/2 = 0.05, solved (0 + 1)/2 = 0.5; seed 2 (2/40 + 0)/2 = 0.025, solved 0.5.
        Assert.Equal([2, 2], bins[BaseSolveRate.Never].Problems);
        Assert.Equal([0.05, 0.025], bins[BaseSolveRate.Never].PassAt1!.Differences, Close);
        Assert.Equal(0.0375, bins[BaseSolveRate.Never].PassAt1!.Mean, precision: 12);
        Assert.Equal(0.5, bins[BaseSolveRate.Never].SolvedAtN!.Mean, precision: 12);
        Assert.True(double.IsNaN(bins[BaseSolveRate.Never].SolvedAtN!.Lower));                // both seeds +0.5: no spread, no interval

        // rare: seed 1 p3 8/40 − 1/40 = 0.175; seed 2 p2 0. Solved at 40 in every case: no change.
        Assert.Equal([1, 1], bins[BaseSolveRate.Rare].Problems);
        Assert.Equal([0.175, 0.0], bins[BaseSolveRate.Rare].PassAt1!.Differences, Close);
        Assert.Equal([0.0, 0.0], bins[BaseSolveRate.Rare].SolvedAtN!.Differences, Close);

        // sometimes: seed 1 (p4 +0.25, p5 0)/2 = 0.125; seed 2 p3 +0.5. Mean 0.3125; with 2 seeds t(0.975, 1) = 12.706,
        // s_d = 0.375/√2, so the interval is 0.3125 ± 12.706 · 0.1875 = [−2.070, 2.695].
        Assert.Equal([2, 1], bins[BaseSolveRate.Sometimes].Problems);
        Assert.Equal([0.125, 0.5], bins[BaseSolveRate.Sometimes].PassAt1!.Differences, Close);
        Assert.Equal(-2.070, bins[BaseSolveRate.Sometimes].PassAt1!.Lower, precision: 3);
        Assert.Equal(2.695, bins[BaseSolveRate.Sometimes].PassAt1!.Upper, precision: 3);

        // often: seed 1 p6 −2/40 = −0.05; seed 2 (p4 0, p5 −2/40)/2 = −0.025.
        Assert.Equal([1, 2], bins[BaseSolveRate.Often].Problems);
        Assert.Equal([-0.05, -0.025], bins[BaseSolveRate.Often].PassAt1!.Differences, Close);
    }

    [Fact]
    public void ABinEmptyInOneSeedIsTakenOverTheSeedsThatHaveIt()
    {
        // Seed 3's base never falls in "rare": the bin's change is over seeds 1 and 2 only, and a bin no seed has gives none.
        var third = new SeedPair(3, Evaluated(Counts("p1", 40, 0), Counts("p2", 40, 40)), Evaluated(Counts("p1", 40, 1), Counts("p2", 40, 40)));
        var bins = Typology.Of("rl", [.. Pairs(), third]).ToDictionary(b => b.Bin);
        Assert.Equal([1, 1, 0], bins[BaseSolveRate.Rare].Problems);
        Assert.Equal(2, bins[BaseSolveRate.Rare].PassAt1!.Seeds);
        Assert.Null(Typology.Of("rl", [third]).Single(b => b.Bin == BaseSolveRate.Rare).PassAt1);
    }

    [Fact]
    public void TheReportHasTheTypologyTableAndItsTwoPlots()
    {
        var pairs = Pairs();
        using var folder = new FakeStudy();
        foreach (var pair in pairs) folder.Run("base", pair.Seed, pair.Base).Run("rl", pair.Seed, pair.Arm);
        var study = StudyLoader.Load(folder.Folder);
        var (markdownPath, _) = StudyReport.Write(study, SupportLikelihood.NotAvailable("no model in this test"));
        string markdown = File.ReadAllText(markdownPath);

        var table = MarkdownTables.After(markdown, "## 3b. Typology");
        Assert.Equal(["base solves", "arm", "problems per seed", "pass@1 arm − base", "solved at n' arm − base"], table.Header);
        Assert.Equal(["never (0 of n)", "rare (under 5%)", "sometimes (5–50%)", "often (over 50%)"], table.Rows.Select(r => r[0]));
        Assert.Equal(0.0375, MarkdownTables.Mean(table.Rows[0][3]), precision: 3);
        Assert.Equal("+0.500", table.Rows[0][4]);   // no spread between the seeds: no interval
        Assert.Equal("1.5 (1.0–2.0)", table.Rows[2][2]);
        foreach (string figure in new[] { "typology-pass-at-1.png", "typology-solved-at-n.png" })
            Assert.True(new FileInfo(Path.Combine(folder.Folder, StudyReport.FigureFolder, figure)).Length > 1000, figure);
    }

    private static readonly Func<double, double, bool> Close = (a, b) => Math.Abs(a - b) < 1e-12;
}
