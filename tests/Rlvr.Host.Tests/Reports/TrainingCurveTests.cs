using Rlvr.Reporting;
using Rlvr.Metrics;

namespace Rlvr.Host.Tests.Reports;

public sealed class TrainingCurveTests
{
    private static MetricsRecord Step(long step, double reward, string stage = "train") =>
        new(stage, step, new Dictionary<string, double> { ["reward_mean"] = reward }, DateTimeOffset.UnixEpoch);

    [Fact]
    public void TheCurveIsTheMeanOverSeedsAtTheStepsEverySeedLogged()
    {
        IReadOnlyList<MetricsRecord> one = [Step(1, 0.1), Step(2, 0.2), Step(3, 0.3), Step(1, 9, stage: "pretrain")];
        IReadOnlyList<MetricsRecord> two = [Step(1, 0.3), Step(2, 0.4)];
        var curve = TrainingCurve.Of("grpo", "reward_mean", [one, two])!;
        Assert.Equal([1.0, 2.0], curve.Steps);
        Assert.Equal(0.2, curve.Mean[0], precision: 12);
        Assert.Equal(0.3, curve.Mean[1], precision: 12);
        Assert.Equal(2, curve.Seeds);
        Assert.Null(TrainingCurve.Of("grpo", "kl", [one, two]));
    }

    [Fact]
    public void FewerPointsThanTwoWindowsCompareTheFirstHalfWithTheSecond()
    {
        var twelve = new TrainingCurve("a", "m", [.. Enumerable.Range(1, 12).Select(s => (double)s)], [.. Enumerable.Range(0, 12).Select(v => (double)v)], 1);
        Assert.Equal(6, twelve.EndWindow(10));
        Assert.Equal(2.5, twelve.First(twelve.EndWindow(10)));
        Assert.Equal(8.5, twelve.Last(twelve.EndWindow(10)));
        var long_ = twelve with { Mean = [.. Enumerable.Range(0, 30).Select(v => (double)v)] };
        Assert.Equal(10, long_.EndWindow(10));
        Assert.Equal(1, (twelve with { Mean = [4.0] }).EndWindow(10));
    }

    [Fact]
    public void TheMovingAverageTrailsOverTheWindow()
    {
        var curve = new TrainingCurve("a", "m", [1, 2, 3, 4], [1, 3, 5, 7], 1);
        Assert.Equal([1, 2, 4, 6], curve.Smoothed(2));
        Assert.Equal(2, curve.First(2));
        Assert.Equal(6, curve.Last(2));
    }

    [Fact]
    public void TheChangeIsLastMinusFirstWithAnIntervalFromTheSpread()
    {
        // first {1, 3}: mean 2, s² 2, variance of the mean 1; last {5, 7}: mean 6, the same; half-width 1.96·√2.
        var change = new TrainingCurve("a", "m", [1, 2, 3, 4, 5, 6], [1, 3, 4, 4, 5, 7], 1).Change(2);
        Assert.Equal(4, change.Mean, precision: 12);
        Assert.Equal(4 - 1.96 * Math.Sqrt(2), change.Lower, precision: 12);
        Assert.Equal(4 + 1.96 * Math.Sqrt(2), change.Upper, precision: 12);
        Assert.True(double.IsNaN(new TrainingCurve("a", "m", [1], [0.5], 1).Change(2).Lower));   // one point: no spread
    }
}
