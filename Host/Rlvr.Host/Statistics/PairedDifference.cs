// The seed is the unit of inference. For one metric, each seed s gives one paired difference d_s = arm_s - base_s
// (the arm of seed s was trained from the base of seed s, and both were evaluated on the same held-out problems), so
// the problems enter only through each seed's estimate and their noise is counted once.
//
//   mean       d̄ = (1/S) Σ d_s
//   interval   d̄ ± t_{1-α/2, S-1} · s_d / √S                  (Student's t, S - 1 degrees of freedom)
//   t-test     p = 2 · P(T_{S-1} > |d̄| / (s_d / √S))
//   sign flip  p = #{ε ∈ {±1}^S : |Σ ε_s d_s| ≥ |Σ d_s|} / 2^S   (exact; its smallest value is 2 / 2^S)
//   effect     d_z = d̄ / s_d                                     (Cohen's d for paired samples)
using MathNet.Numerics.Distributions;

namespace Rlvr.Host.Statistics;

/// <summary>A metric's paired seed-level difference between an arm and the base it was trained from.</summary>
/// <param name="Differences">d_s, one per seed, in the study's seed order.</param>
/// <param name="Mean">d̄.</param>
/// <param name="Lower">The interval's lower end; NaN under two seeds or when every d_s is equal.</param>
/// <param name="Upper">The interval's upper end; NaN under two seeds or when every d_s is equal.</param>
/// <param name="Level">The interval's confidence level, e.g. 0.95.</param>
/// <param name="TestP">The paired t-test's two-sided p; NaN under two seeds; when every d_s is equal (no spread, t undefined) the exact sign-flip p, 1 when all are 0.</param>
/// <param name="SignFlipP">The exact two-sided sign-flip (permutation) p.</param>
/// <param name="EffectSize">d_z; NaN under two seeds or when every d_s is equal.</param>
public sealed record PairedDifference(IReadOnlyList<double> Differences, double Mean, double Lower, double Upper, double Level,
    double TestP, double SignFlipP, double EffectSize)
{
    /// <summary>Seeds beyond this are tested with a Monte Carlo sign flip of this many draws instead of all 2^S.</summary>
    public const int ExactSignFlipSeeds = 20;

    public int Seeds => Differences.Count;

    /// <summary>The paired difference of per-seed values of the arm and of its base.</summary>
    public static PairedDifference Of(IReadOnlyList<double> arm, IReadOnlyList<double> @base, double level = 0.95)
    {
        if (arm.Count != @base.Count) throw new ArgumentException($"{arm.Count} arm seeds against {@base.Count} base seeds: a paired difference needs one base per arm seed.");
        return Of([.. arm.Zip(@base, (a, b) => a - b)], level);
    }

    /// <summary>The paired difference of the per-seed differences d_s.</summary>
    public static PairedDifference Of(IReadOnlyList<double> differences, double level = 0.95)
    {
        if (differences.Count == 0) throw new ArgumentException("No seeds.", nameof(differences));
        if (level is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(level), level, "A confidence level lies strictly between 0 and 1.");
        int s = differences.Count;
        double mean = differences.Average();
        double signFlip = SignFlip(differences);
        if (s < 2) return new PairedDifference(differences, mean, double.NaN, double.NaN, level, double.NaN, signFlip, double.NaN);

        double sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (s - 1));
        double se = sd / Math.Sqrt(s);
        // Every seed moved by exactly the same amount (counts are discrete: each seed lost one problem of 80): t is
        // undefined and an interval of zero width would be no evidence: no interval, and the exact sign flip is the test.
        if (se == 0)
            return new PairedDifference(differences, mean, double.NaN, double.NaN, level, mean == 0 ? 1 : signFlip, signFlip, double.NaN);
        double t = StudentT.InvCDF(0, 1, s - 1, 1 - (1 - level) / 2);
        double p = 2 * (1 - StudentT.CDF(0, 1, s - 1, Math.Abs(mean) / se));
        return new PairedDifference(differences, mean, mean - t * se, mean + t * se, level, p, signFlip, mean / sd);
    }

    // Under the null every d_s is as likely positive as negative: the share of sign patterns whose sum is at least as
    // far from 0 as the observed one.
    private static double SignFlip(IReadOnlyList<double> d)
    {
        double observed = Math.Abs(d.Sum()) - 1e-12 * d.Sum(Math.Abs);   // ties with the observed sum count as extreme
        if (d.Count <= ExactSignFlipSeeds)
        {
            long patterns = 1L << d.Count, extreme = 0;
            for (long mask = 0; mask < patterns; mask++)
            {
                double sum = 0;
                for (int i = 0; i < d.Count; i++) sum += (mask >> i & 1) == 1 ? -d[i] : d[i];
                if (Math.Abs(sum) >= observed) extreme++;
            }
            return (double)extreme / patterns;
        }
        var random = new Random(0);
        const int draws = 1 << ExactSignFlipSeeds;
        int hits = 0;
        for (int b = 0; b < draws; b++)
        {
            double sum = 0;
            foreach (double x in d) sum += random.Next(2) == 0 ? -x : x;
            if (Math.Abs(sum) >= observed) hits++;
        }
        return (hits + 1.0) / (draws + 1.0);
    }
}

/// <summary>Holm's step-down correction: the family-wise error rate stays at α over every test of one family.</summary>
public static class Holm
{
    /// <summary>Holm-adjusted p-values, in the order given: p̃_(i) = max_{j ≤ i} min(1, (m - j + 1) p_(j)) over the sorted p. NaN stays NaN and does not count towards m.</summary>
    public static double[] Adjust(IReadOnlyList<double> p)
    {
        var order = Enumerable.Range(0, p.Count).Where(i => !double.IsNaN(p[i])).OrderBy(i => p[i]).ToList();
        var adjusted = Enumerable.Repeat(double.NaN, p.Count).ToArray();
        double running = 0;
        for (int rank = 0; rank < order.Count; rank++)
        {
            running = Math.Max(running, Math.Min(1, (order.Count - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
