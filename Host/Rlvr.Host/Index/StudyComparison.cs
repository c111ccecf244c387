using Rlvr.Host.Runs;

namespace Rlvr.Host.Index;

/// <summary>One number of an arm over its seeds: their mean and its spread, the lowest and highest seed; for one seed, its 95% bootstrap interval where it has one.</summary>
/// <param name="Seeds">How many seeds have the number (an arm's seeds may be evaluated at different k).</param>
public sealed record SeedSpread(double Mean, double Low, double High, int Seeds);

/// <summary>One arm of a study over its evaluated seeds.</summary>
/// <param name="PassAtK">pass@k by answer for each asked k that at least one seed was evaluated at.</param>
public sealed record ArmSummary(string Arm, IReadOnlyList<int> Seeds, IReadOnlyDictionary<int, SeedSpread> PassAtK, SeedSpread Coverage);

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
