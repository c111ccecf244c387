// The exact two-sided sign test: of g + l problems that changed, g moved one way and l the other; under the null each
// change is as likely either way (binomial, p = 1/2), so p = min(1, 2 · P(X ≤ min(g, l))), X ~ Bin(g + l, 1/2).
using MathNet.Numerics.Distributions;

namespace Rlvr.Host.Statistics;

/// <summary>Whether more problems were gained than lost, or the reverse, beyond what coin flips give.</summary>
public static class SignTest
{
    /// <summary>The two-sided p of <paramref name="gained"/> against <paramref name="lost"/>; 1 when nothing changed.</summary>
    public static double P(int gained, int lost)
    {
        if (gained < 0 || lost < 0) throw new ArgumentOutOfRangeException(nameof(gained), $"gained {gained}, lost {lost}: counts are not negative.");
        int changed = gained + lost;
        if (changed == 0) return 1;
        return Math.Min(1, 2 * Binomial.CDF(0.5, changed, Math.Min(gained, lost)));
    }
}
