using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class SupportAnalysisTests
{
    [Fact]
    public void PathsArePreservedLostOrNewProblemByProblem()
    {
        var baseline = Evaluated(
            With("p", 8, new Dictionary<string, int> { ["x"] = 3, ["y"] = 1 }, difficulty: 2),
            With("q", 8, new Dictionary<string, int> { ["u"] = 2, ["v"] = 2, ["w"] = 1 }, difficulty: 3));
        var arm = Evaluated(
            With("p", 8, new Dictionary<string, int> { ["x"] = 6, ["z"] = 1 }, difficulty: 2),
            With("q", 8, new Dictionary<string, int> { ["x"] = 5 }, difficulty: 3));   // the same text on another problem is another path
        var support = SupportAnalysis.Of(new SeedPair(1, baseline, arm));

        Assert.Equal(new SupportCounts(Preserved: 1, Lost: 1, New: 1), support.ByDifficulty[2]);   // x kept, y lost, z new
        Assert.Equal(new SupportCounts(Preserved: 0, Lost: 3, New: 1), support.ByDifficulty[3]);
        Assert.Equal(new SupportCounts(1, 4, 2), support.Total);
        Assert.Equal(5, support.Total.BasePaths);
        Assert.Equal(3, support.Total.ArmPaths);
    }

    [Fact]
    public void AtUnequalNAPathCountsByItsChanceOfBeingSampled()
    {
        // The base (n = 4) sampled path x once: 2 of its samples hold x with chance 1/2. The arm (n = 2) sampled x too.
        var support = SupportAnalysis.Of(new SeedPair(1,
            Evaluated(With("p", 4, new Dictionary<string, int> { ["x"] = 1, ["y"] = 3 })),
            Evaluated(With("p", 2, new Dictionary<string, int> { ["x"] = 1 }))));
        Assert.Equal(0.5, support.Total.Preserved, precision: 12);    // x: 1/2 · 1
        Assert.Equal(1.0, support.Total.Lost, precision: 12);         // y: sampled 3 of 4 times, surely among 2 of them; the arm never
        Assert.Equal(0.5, support.Total.New, precision: 12);          // x: (1 − 1/2) · 1
    }

    [Fact]
    public void TheMeanOverSeedsAveragesEachDifficulty()
    {
        var one = new SupportAnalysis(4, new SupportCounts(2, 0, 4), new SortedDictionary<int, SupportCounts> { [2] = new(2, 0, 4) });
        var two = new SupportAnalysis(4, new SupportCounts(0, 2, 0), new SortedDictionary<int, SupportCounts> { [3] = new(0, 2, 0) });
        var mean = SupportAnalysis.Mean([one, two]);
        Assert.Equal(new SupportCounts(1, 1, 2), mean.Total);
        Assert.Equal(new SupportCounts(1, 0, 2), mean.ByDifficulty[2]);
        Assert.Equal(new SupportCounts(0, 1, 0), mean.ByDifficulty[3]);
    }
}
