// pass@k of one arm for k = 1, 2, 4, ..., n: the mean over seeds of the mean over problems, with a band from the
// seeds-then-problems bootstrap. pass@k is re-estimated from each problem's counts (n, c), so a curve can be
// taken at an n below the one the arm was evaluated with: the estimate at k ≤ n' is unbiased whatever n ≥ k.
using Rlvr.Host.Evaluation;

namespace Rlvr.Host.Reports;

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
    /// An arm's pass@k minus its base's, per problem on the problems both evaluated, at the smallest n of any pair; the
    /// band resamples seeds, then problems, keeping each problem's arm and base together (a paired interval).
    /// </summary>
    public static PassAtKCurve Gap(string arm, IReadOnlyList<SeedPair> pairs, int resamples = 1000, double confidence = 0.95)
    {
        int n = pairs.Min(p => p.Samples);
        var ks = PassAtK.Ks(n);
        var perSeed = pairs.Select(pair => ks.Select(k => pair.Matched
            .Select(m => PassAtK.Estimate(m.Arm.Samples, m.Arm.Correct, k) - PassAtK.Estimate(m.Base.Samples, m.Base.Correct, k)).ToArray()).ToArray()).ToList();
        return new PassAtKCurve(arm, n, pairs.Count, ks, SeedBootstrap.MeanWithBootstrap(perSeed, resamples, confidence));
    }

    /// <summary>The point at <paramref name="k"/>, or null beyond this curve's n.</summary>
    public Interval? At(int k) => Ks.ToList().IndexOf(k) is var i and >= 0 ? Points[i] : null;
}
