// pass@1 and pass@k of the held-out problems of one difficulty, per seed: RL trained on one band of difficulty is
// judged on each band separately. pass@k is re-estimated from each problem's counts (as in PassAtKCurve), so k may be
// below the n a run drew; an arm is compared with its base at the smaller n of the two, on the problems both evaluated.
using Rlvr.Host.Evaluation;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

/// <summary>One difficulty: per seed (in seed order, the seeds that have it), how many problems, and pass@1 and pass@k over them.</summary>
/// <param name="K">The k of <see cref="PassAtK"/>: a run's n, or the n compared at.</param>
public sealed record DifficultyPassAtK(int Difficulty, int K, IReadOnlyList<int> Problems, IReadOnlyList<double> PassAt1, IReadOnlyList<double> PassAtK)
{
    /// <summary>The <see cref="Difficulty"/> of the one group that <see cref="Gap"/> makes with <c>overall</c> set.</summary>
    public const int AllDifficulties = int.MinValue;

    /// <summary>Each difficulty of one run, ascending.</summary>
    /// <param name="seeds">Per seed, the per-problem results.</param>
    /// <param name="k">At most the smallest n of any problem.</param>
    public static IReadOnlyList<DifficultyPassAtK> Of(IReadOnlyList<IReadOnlyList<ProblemResult>> seeds, int k) =>
        Collect([.. Enumerable.Range(0, seeds.Count)], [.. seeds.Select(problems => problems.GroupBy(p => p.Difficulty).Select(d => (d.Key, d.Count(), Means(d, k))))], k);

    /// <summary>
    /// Each difficulty (the base's) of an arm minus its base at k = 1 and k = n', n' the smallest n of any pair: per seed,
    /// the paired difference d_s (a seed's RL seeds averaged, see <see cref="SeedUnits"/>).
    /// </summary>
    /// <param name="overall">All problems as one group, <see cref="AllDifficulties"/>: the arm against its own base over the whole set.</param>
    public static IReadOnlyList<DifficultyPassAtK> Gap(IReadOnlyList<SeedPair> pairs, bool overall = false)
    {
        int n = pairs.Min(p => p.Samples);
        return Collect([.. pairs.Select(p => p.Seed)], [.. pairs.Select(pair => pair.Matched.GroupBy(Band(overall)).Select(d => (d.Key, d.Count(),
            Means(d.Select(m => m.Arm), n).Zip(Means(d.Select(m => m.Base), n), (arm, baseline) => arm - baseline).ToArray())))], n);
    }

    private static Func<(ProblemResult Base, ProblemResult Arm), int> Band(bool overall) =>
        overall ? _ => AllDifficulties : m => m.Base.Difficulty;

    private static double[] Means(IEnumerable<ProblemResult> problems, int k) => Host.Evaluation.PassAtK.MeanCurve([.. problems], [1, k]);

    // Per difficulty, the runs that have it; their means as units of inference, each run's seed in seeds (a seed's runs averaged).
    private static List<DifficultyPassAtK> Collect(IReadOnlyList<int> seeds, IReadOnlyList<IEnumerable<(int Difficulty, int Problems, double[] Means)>> runs, int k)
    {
        var byRun = runs.Select(r => r.ToDictionary(d => d.Difficulty)).ToList();
        return [.. byRun.SelectMany(r => r.Keys).Distinct().Order().Select(difficulty =>
        {
            double[] Units(int i) => [.. SeedUnits.Means(seeds, [.. byRun.Select(r => r.TryGetValue(difficulty, out var d) ? d.Means[i] : double.NaN)])
                .Where(v => !double.IsNaN(v))];
            return new DifficultyPassAtK(difficulty, k, [.. byRun.Where(r => r.ContainsKey(difficulty)).Select(r => r[difficulty].Problems)], Units(0), Units(1));
        })];
    }
}
