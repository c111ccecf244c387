// Support analysis: does an arm keep the base's ways of reaching a right answer, drop them, or find new ones?
// A path is one distinct correct completion text. At unequal n a path counts by its chance of being seen in n'
// samples (see SolvedAt): a path the base sampled 40 times in 256 is almost surely in 64 of them, one it sampled
// once is in 64 with chance 1/4. Preserved = Σ P_base·P_arm, lost = Σ P_base·(1 − P_arm), new = Σ (1 − P_base)·P_arm.
namespace Rlvr.Reporting;

/// <summary>Paths preserved, lost and new for one seed, in total and per difficulty.</summary>
/// <param name="Samples">The n compared at.</param>
public sealed record SupportAnalysis(int Samples, SupportCounts Total, IReadOnlyDictionary<int, SupportCounts> ByDifficulty)
{
    public static SupportAnalysis Of(SeedPair pair)
    {
        int n = pair.Samples;
        var byDifficulty = new SortedDictionary<int, SupportCounts>();
        foreach (var (b, a) in pair.Matched)
        {
            var counts = SupportCounts.Zero;
            foreach (string path in b.CorrectCompletions.Keys.Union(a.CorrectCompletions.Keys))
            {
                double seenByBase = SolvedAt.Chance(b.Samples, b.CorrectCompletions.GetValueOrDefault(path), n);
                double seenByArm = SolvedAt.Chance(a.Samples, a.CorrectCompletions.GetValueOrDefault(path), n);
                counts += new SupportCounts(seenByBase * seenByArm, seenByBase * (1 - seenByArm), (1 - seenByBase) * seenByArm);
            }
            byDifficulty[b.Difficulty] = byDifficulty.GetValueOrDefault(b.Difficulty, SupportCounts.Zero) + counts;
        }
        return new SupportAnalysis(n, byDifficulty.Values.Aggregate(SupportCounts.Zero, (x, y) => x + y), byDifficulty);
    }

    /// <summary>The mean over seeds, difficulty by difficulty.</summary>
    public static SupportAnalysis Mean(IReadOnlyList<SupportAnalysis> seeds)
    {
        double share = 1.0 / seeds.Count;
        SupportCounts Average(IEnumerable<SupportCounts> counts) => counts.Aggregate(SupportCounts.Zero, (x, y) => x + y).Scale(share);
        var difficulties = seeds.SelectMany(s => s.ByDifficulty.Keys).Distinct().Order();
        return new SupportAnalysis(seeds.Min(s => s.Samples), Average(seeds.Select(s => s.Total)),
            new SortedDictionary<int, SupportCounts>(difficulties.ToDictionary(d => d, d => Average(seeds.Select(s => s.ByDifficulty.GetValueOrDefault(d, SupportCounts.Zero))))));
    }
}
