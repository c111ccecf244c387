// A two-level bootstrap for a mean over seeds of means over problems: draw the seeds with replacement, then the
// problems of each drawn seed with replacement. Seeds carry the run-to-run spread, problems the spread within a
// run. One seed leaves only the problems, and then this is the evaluation's own interval (PassAtK.MeanWithBootstrap).
using Rlvr.Host.Evaluation;

namespace Rlvr.Reporting;

/// <summary>Percentile intervals for several statistics that share the same seeds and problems (pass@k at each k).</summary>
public static class SeedBootstrap
{
    /// <param name="perSeed">Per seed, per statistic, one value per problem: <c>perSeed[s][j][p]</c>.</param>
    /// <returns>Per statistic j: the mean over seeds of the mean over problems, with its interval.</returns>
    public static IReadOnlyList<Interval> MeanWithBootstrap(IReadOnlyList<double[][]> perSeed, int resamples = 1000, double confidence = 0.95, int seed = 0)
    {
        if (perSeed.Count == 0) throw new ArgumentException("No seeds to average.", nameof(perSeed));
        int statistics = perSeed[0].Length;
        if (perSeed.Count == 1)
            return [.. perSeed[0].Select(values => PassAtK.MeanWithBootstrap(values, resamples, confidence, seed))];

        var means = new double[statistics][];
        for (int j = 0; j < statistics; j++) means[j] = new double[resamples];
        var random = new Random(seed);
        var sums = new double[statistics];
        for (int b = 0; b < resamples; b++)
        {
            Array.Clear(sums);
            for (int s = 0; s < perSeed.Count; s++)
            {
                var drawn = perSeed[random.Next(perSeed.Count)];
                int problems = drawn[0].Length;
                for (int i = 0; i < problems; i++)
                {
                    int p = random.Next(problems);   // the same problems for every statistic, so the curve moves as one
                    for (int j = 0; j < statistics; j++) sums[j] += drawn[j][p] / problems;
                }
            }
            for (int j = 0; j < statistics; j++) means[j][b] = sums[j] / perSeed.Count;
        }
        return [.. Enumerable.Range(0, statistics).Select(j =>
            PassAtK.PercentileInterval(perSeed.Average(values => values[j].Average()), means[j], confidence))];
    }
}
