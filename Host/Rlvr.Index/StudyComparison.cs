using Rlvr.Host.Runs;
using Rlvr.Host.Statistics;

namespace Rlvr.Index;

/// <summary>One number of an arm over its seeds: their mean and its spread, the lowest and highest seed; for one seed, its 95% bootstrap interval where it has one.</summary>
/// <param name="Seeds">How many seeds have the number (an arm's seeds may be evaluated at different k).</param>
public sealed record SeedSpread(double Mean, double Low, double High, int Seeds);

/// <summary>One arm of a study over its evaluated seeds.</summary>
/// <param name="PassAtK">pass@k by answer for each asked k that at least one seed was evaluated at.</param>
public sealed record ArmSummary(string Arm, IReadOnlyList<int> Seeds, IReadOnlyDictionary<int, SeedSpread> PassAtK, SeedSpread Coverage);

/// <summary>One arm's paired difference from the base on one metric: arm seed s against base seed s, the model it was trained from.</summary>
/// <param name="Seeds">The base seeds paired: those where both the arm and the base have the metric.</param>
public sealed record ArmDifference(string Arm, string Metric, IReadOnlyList<int> Seeds, PairedDifference Difference);

/// <summary>Puts the arms of a study side by side.</summary>
public static class StudyComparison
{
    /// <summary>One summary per arm of the evaluated runs among <paramref name="runs"/>: the base first, then the arms by name.</summary>
    public static IReadOnlyList<ArmSummary> Summarize(IEnumerable<RunEntry> runs, IReadOnlyList<int> ks) =>
        runs.Where(r => r.Metrics.ContainsKey(FinalMetrics.Coverage))
            .GroupBy(r => r.Run.Arm)
            .OrderBy(arm => arm.Key != RunPaths.BaseArm).ThenBy(arm => arm.Key, StringComparer.Ordinal)
            .Select(arm =>
            {
                var seeds = arm.OrderBy(r => r.Run.Seed).ToList();
                var passAtK = ks.Distinct().Select(k => (k, Spread: Spread(seeds, FinalMetrics.PassAtK(k)))).Where(p => p.Spread is not null)
                    .ToDictionary(p => p.k, p => p.Spread!);
                return new ArmSummary(arm.Key, [.. seeds.Select(r => r.Run.Seed)], passAtK, Spread(seeds, FinalMetrics.Coverage)!);
            })
            .ToList();

    /// <summary>
    /// Each trained arm's paired difference from the base at each asked k and on coverage, from the evaluated runs among
    /// <paramref name="runs"/>: d_s = arm_s − base_s per seed that both have (see <see cref="PairedDifference"/>), an arm's
    /// RL seeds averaged within their seed (see <see cref="SeedUnits"/>).
    /// </summary>
    public static IReadOnlyList<ArmDifference> PairedWithBase(IEnumerable<RunEntry> runs, IReadOnlyList<int> ks)
    {
        var evaluated = runs.Where(r => r.Metrics.ContainsKey(FinalMetrics.Coverage)).ToList();
        var baseBySeed = evaluated.Where(r => r.Run.Arm == RunPaths.BaseArm).ToDictionary(r => r.Run.Seed, r => r.Metrics);
        string[] metrics = [.. ks.Distinct().Select(FinalMetrics.PassAtK), FinalMetrics.Coverage];
        return [.. evaluated.Where(r => r.Run.Arm != RunPaths.BaseArm).GroupBy(r => r.Run.Arm).OrderBy(arm => arm.Key, StringComparer.Ordinal)
            .SelectMany(arm => metrics.Select(metric =>
            {
                var paired = arm.Where(r => r.Metrics.ContainsKey(metric) && baseBySeed.TryGetValue(r.Run.Seed, out var b) && b.ContainsKey(metric))
                    .OrderBy(r => r.Run.Seed).ThenBy(r => r.Run.RlSeed).ToList();
                return paired.Count == 0 ? null : new ArmDifference(arm.Key, metric, [.. paired.Select(r => r.Run.Seed).Distinct()],
                    PairedDifference.Of(SeedUnits.Means([.. paired.Select(r => r.Run.Seed)], [.. paired.Select(r => r.Metrics[metric] - baseBySeed[r.Run.Seed][metric])])));
            }))
            .OfType<ArmDifference>()];
    }

    // A metric over the seeds that have it; null when none has.
    private static SeedSpread? Spread(IReadOnlyList<RunEntry> seeds, string name)
    {
        var values = seeds.Where(s => s.Metrics.ContainsKey(name)).Select(s => s.Metrics).ToList();
        if (values.Count == 0) return null;
        if (values.Count > 1)
            return new SeedSpread(values.Average(m => m[name]), values.Min(m => m[name]), values.Max(m => m[name]), values.Count);
        var only = values[0];
        return new SeedSpread(only[name], only.GetValueOrDefault(FinalMetrics.Lower(name), only[name]), only.GetValueOrDefault(FinalMetrics.Upper(name), only[name]), 1);
    }
}
