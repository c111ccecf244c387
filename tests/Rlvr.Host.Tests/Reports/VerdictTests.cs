using Rlvr.Host.Evaluation;
using Rlvr.Host.Reports;

namespace Rlvr.Host.Tests.Reports;

/// <summary>The rule for a finding: three seeds and intervals that separate, or "no difference".</summary>
public sealed class VerdictTests
{
    private static readonly Interval Base = new(0.30, 0.25, 0.35);

    [Fact]
    public void SeparateIntervalsWithThreeSeedsAreAFindingEitherWay()
    {
        Assert.Equal("higher (+0.100; intervals separate)", Verdict.Of(new Interval(0.40, 0.36, 0.44), Base, seeds: 3));
        Assert.Equal("lower (-0.100; intervals separate)", Verdict.Of(new Interval(0.20, 0.16, 0.24), Base, seeds: 5));
    }

    [Fact]
    public void OverlapOrFewerThanThreeSeedsIsNoDifference()
    {
        Assert.Equal("no difference (intervals overlap; gap +0.050)", Verdict.Of(new Interval(0.35, 0.34, 0.40), Base, seeds: 3));
        Assert.Equal("no difference (2 seeds; a finding needs 3; gap +0.100)", Verdict.Of(new Interval(0.40, 0.36, 0.44), Base, seeds: 2));
        Assert.Equal("no difference (1 seed; a finding needs 3; gap 0.000)", Verdict.Of(Base, Base, seeds: 1));
    }
}
