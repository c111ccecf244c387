using Rlvr.Host.Evaluation;
using Rlvr.Reporting;
using Rlvr.Host.Studies;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class CoverageChangeTests
{
    [Fact]
    public void AtEqualNGainedAndLostAreThePlainCounts()
    {
        var baseline = Evaluated(Counts("a", 4, 0), Counts("b", 4, 0), Counts("c", 4, 2), Counts("d", 4, 1), Counts("e", 4, 3));
        var arm = Evaluated(Counts("a", 4, 1), Counts("b", 4, 0), Counts("c", 4, 0), Counts("d", 4, 0), Counts("e", 4, 4));
        var change = CoverageChange.Of(new SeedPair(1, baseline, arm));
        Assert.Equal(1, change.Gained);   // a
        Assert.Equal(2, change.Lost);     // c, d
        Assert.Equal(3 / 5.0, change.BaseCoverage, precision: 12);
        Assert.Equal(2 / 5.0, change.ArmCoverage, precision: 12);
        var comparison = ArmComparison.Of(baseline, arm);
        Assert.Equal(comparison.Gained.Count, change.Gained);
        Assert.Equal(comparison.Lost.Count, change.Lost);
    }

    [Fact]
    public void AtUnequalNTheyAreExpectedCountsAtTheSmallerN()
    {
        // The base solved a once in 4 samples: 2 of those 4 hold it with chance 1/2. The arm (n = 2) never solved a, and solved b.
        var change = CoverageChange.Of(new SeedPair(1, Evaluated(Counts("a", 4, 1), Counts("b", 4, 0)), Evaluated(Counts("a", 2, 0), Counts("b", 2, 1))));
        Assert.Equal(2, change.Samples);
        Assert.Equal(0.5, change.Lost, precision: 12);
        Assert.Equal(1.0, change.Gained, precision: 12);
        Assert.Equal(0.25, change.BaseCoverage, precision: 12);
        Assert.Equal("0.5", ReportFormat.Count(change.Lost));
        Assert.Equal("1", ReportFormat.Count(change.Gained));
        Assert.Equal(PassAtK.Estimate(4, 1, 2), SolvedAt.Chance(change.Problems[0].Base, 2), precision: 12);
    }
}
