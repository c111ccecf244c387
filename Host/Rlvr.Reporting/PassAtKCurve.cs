// pass@k of one arm for k = 1, 2, 4, ..., n: the mean over seeds of the mean over problems, with a display band from
// the seeds-then-problems bootstrap (it shows the spread of one arm's curve; no verdict is read from it). pass@k is
// re-estimated from each problem's counts (n, c), so a curve can be taken at an n below the one the arm was evaluated
// with: the estimate at k ≤ n' is unbiased whatever n ≥ k.
using Rlvr.Host.Evaluation;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

/// <summary>One arm's pass@k curve with its confidence band.</summary>
/// <param name="Samples">The n of the curve: its largest k.</param>
/// <param name="Seeds">How many seeds the mean is over.</param>
public sealed record PassAtKCurve(string Arm, int Samples, int Seeds, IReadOnlyList<int> Ks, IReadOnlyList<Interval> Points)
{
    /// <param name="seeds">Per seed, the per-problem results.</param>
    /// <param name="samples">The n to stop at; by default the smallest n of any problem of any seed.</param>
    public static PassAtKCurve Of(string arm, IReadOnlyList<IReadOnlyList<ProblemResult>> seeds, int? samples = null, int resamples = 1000, double confidence = 0.95)
    {
        int n = samples ?? seeds.Min(s => s.Min(r => r.Samples));
        var ks = PassAtK.Ks(n);
        var perSeed = seeds.Select(problems => ks.Select(k => problems.Select(r => PassAtK.Estimate(r.Samples, r.Correct, k)).ToArray()).ToArray()).ToList();
        return new PassAtKCurve(arm, n, seeds.Count, ks, SeedBootstrap.MeanWithBootstrap(perSeed, resamples, confidence));
    }

    /// <summary>
    /// An arm's pass@k minus its base's at the smallest n of any pair: the mean over seeds of the paired differences d_s
    /// (<see cref="SeedDifferences"/>), with the paired t-interval over seeds as its band; one seed gives no band.
    /// </summary>
    public static PassAtKCurve Gap(string arm, IReadOnlyList<SeedPair> pairs, double confidence = 0.95)
    {
        int n = pairs.Min(p => p.Samples);
        var ks = PassAtK.Ks(n);
        return Gap(arm, n, ks, [.. SeedDifferences.PassAtK(pairs, ks).Select(d => PairedDifference.Of(d, confidence))]);
    }

    /// <summary>The gap curve of paired differences already taken at each of <paramref name="ks"/>; under two seeds the band is the mean itself.</summary>
    public static PassAtKCurve Gap(string arm, int samples, IReadOnlyList<int> ks, IReadOnlyList<PairedDifference> differences) =>
        new(arm, samples, differences.Count == 0 ? 0 : differences[0].Seeds, ks,
            [.. differences.Select(d => double.IsNaN(d.Lower) ? new Interval(d.Mean, d.Mean, d.Mean) : new Interval(d.Mean, d.Lower, d.Upper))]);

    /// <summary>The point at <paramref name="k"/>, or null beyond this curve's n.</summary>
    public Interval? At(int k) => Ks.ToList().IndexOf(k) is var i and >= 0 ? Points[i] : null;
}
