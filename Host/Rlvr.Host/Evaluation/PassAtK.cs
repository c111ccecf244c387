// The unbiased pass@k estimator and its bootstrap confidence interval over problems.
// Chen et al. 2021, "Evaluating Large Language Models Trained on Code", arXiv:2107.03374.

namespace Rlvr.Host.Evaluation;

/// <summary>pass@k from per-problem sample counts.</summary>
public static class PassAtK
{
    /// pass@k = 1 − C(n−c, k) / C(n, k) = 1 − ∏_{i=n−c+1}^{n} (1 − k/i), and 1 when n − c &lt; k
    public static double Estimate(int n, int c, int k)
    {
        if (n < 1 || c < 0 || c > n) throw new ArgumentOutOfRangeException(nameof(c), $"Need 0 <= c <= n and n >= 1; got n = {n}, c = {c}.");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"Need 1 <= k <= n = {n}; got k = {k}.");
        if (n - c < k) return 1.0;
        double allWrong = 1.0;                                    // C(n−c, k) / C(n, k) as a stable product
        for (int i = n - c + 1; i <= n; i++) allWrong *= 1.0 - (double)k / i;
        return 1.0 - allWrong;
    }

    /// <summary>The k reported for n samples: 1, 2, 4, … up to n, and n itself.</summary>
    public static IReadOnlyList<int> Ks(int n)
    {
        var ks = new List<int>();
        for (int k = 1; k <= n; k *= 2) ks.Add(k);
        if (ks[^1] != n) ks.Add(n);
        return ks;
    }

    /// <summary>
    /// The mean of <paramref name="perProblem"/> with a percentile bootstrap interval: problems resampled with
    /// replacement <paramref name="resamples"/> times, seeded, so the same inputs give the same interval.
    /// </summary>
    public static Interval MeanWithBootstrap(IReadOnlyList<double> perProblem, int resamples = 1000, double confidence = 0.95, int seed = 0)
    {
        if (perProblem.Count == 0) throw new ArgumentException("No problems to average.", nameof(perProblem));
        double mean = perProblem.Average();
        var random = new Random(seed);
        var means = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double sum = 0;
            for (int i = 0; i < perProblem.Count; i++) sum += perProblem[random.Next(perProblem.Count)];
            means[b] = sum / perProblem.Count;
        }
        return PercentileInterval(mean, means, confidence);
    }

    /// <summary>The mean over problems of pass@k at each of <paramref name="ks"/>.</summary>
    public static double[] MeanCurve(IReadOnlyCollection<ProblemResult> problems, IReadOnlyList<int> ks) =>
        ks.Select(k => problems.Average(r => Estimate(r.Samples, r.Correct, k))).ToArray();

    /// <summary>The two-sided percentile interval of <paramref name="resampledMeans"/> (sorted in place) around <paramref name="mean"/>.</summary>
    public static Interval PercentileInterval(double mean, double[] resampledMeans, double confidence)
    {
        Array.Sort(resampledMeans);
        double tail = (1 - confidence) / 2;
        return new Interval(mean, Percentile(resampledMeans, tail), Percentile(resampledMeans, 1 - tail));
    }

    // Linear interpolation between the two nearest ranks of a sorted array.
    private static double Percentile(double[] sorted, double q)
    {
        double rank = q * (sorted.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}

/// <summary>A point estimate with a confidence interval.</summary>
public readonly record struct Interval(double Mean, double Lower, double Upper)
{
    /// <inheritdoc />
    public override string ToString() => $"{Mean:F3} [{Lower:F3}, {Upper:F3}]";
}
