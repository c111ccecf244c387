// One training metric of one arm by step, from metrics.jsonl: the mean over seeds at each step every seed logged.
using Rlvr.Host.Evaluation;
using Rlvr.Metrics;

namespace Rlvr.Reporting;

/// <summary>A metric's mean over seeds, step by step.</summary>
/// <param name="Seeds">How many seeds logged the metric.</param>
public sealed record TrainingCurve(string Arm, string Metric, IReadOnlyList<double> Steps, IReadOnlyList<double> Mean, int Seeds)
{
    /// <summary>The stage arms train in.</summary>
    public const string TrainStage = "train";

    /// <param name="seeds">Each seed's metrics records.</param>
    /// <returns>The curve, or null when no seed logged <paramref name="metric"/> in <paramref name="stage"/>.</returns>
    public static TrainingCurve? Of(string arm, string metric, IReadOnlyList<IReadOnlyList<MetricsRecord>> seeds, string stage = TrainStage)
    {
        var logged = seeds.Select(records => records.Where(r => r.Stage == stage && r.Values.ContainsKey(metric)).ToDictionary(r => r.Step, r => r.Values[metric]))
            .Where(bySteps => bySteps.Count > 0).ToList();
        if (logged.Count == 0) return null;
        var steps = logged.Skip(1).Aggregate((IEnumerable<long>)logged[0].Keys, (common, seed) => common.Intersect(seed.Keys)).Order().ToList();
        return new TrainingCurve(arm, metric, [.. steps.Select(s => (double)s)], [.. steps.Select(s => logged.Average(seed => seed[s]))], logged.Count);
    }

    /// <summary>
    /// The points averaged at each end when the first points are compared with the last: <paramref name="window"/>, or
    /// half of them when there are fewer than two windows, so that the two ends never share a point (one point: itself).
    /// </summary>
    public int EndWindow(int window) => Math.Max(1, Math.Min(window, Mean.Count / 2));

    /// <summary>The mean of the first and of the last <see cref="EndWindow"/> points.</summary>
    public (double First, double Last) Ends(int window) => (First(EndWindow(window)), Last(EndWindow(window)));

    /// <summary>The mean of the first <paramref name="window"/> points.</summary>
    public double First(int window) => Mean.Take(window).DefaultIfEmpty(double.NaN).Average();

    /// <summary>The mean of the last <paramref name="window"/> points.</summary>
    public double Last(int window) => Mean.TakeLast(window).DefaultIfEmpty(double.NaN).Average();

    /// <summary>
    /// The mean of the last <paramref name="window"/> points minus that of the first, with a 95% interval from the
    /// points' spread (1.96 · √(s²_first/n + s²_last/n)). Each point is a step of fresh problems and samples, so the
    /// spread is the problem-draw noise the change must stand out from. NaN bounds with fewer than two points a side.
    /// </summary>
    public Interval Change(int window)
    {
        var (first, last) = (Mean.Take(window).ToArray(), Mean.TakeLast(window).ToArray());
        double change = last.DefaultIfEmpty(double.NaN).Average() - first.DefaultIfEmpty(double.NaN).Average();
        double halfWidth = 1.96 * Math.Sqrt(VarianceOfMean(first) + VarianceOfMean(last));
        return new Interval(change, change - halfWidth, change + halfWidth);

        static double VarianceOfMean(double[] x)
        {
            if (x.Length < 2) return double.NaN;
            double mean = x.Average();
            return x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1) / x.Length;
        }
    }

    /// <summary>A trailing moving average over <paramref name="window"/> points (fewer at the start), for reading a noisy curve.</summary>
    public double[] Smoothed(int window) =>
        [.. Enumerable.Range(0, Mean.Count).Select(i => Mean.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).Average())];
}
