// The thesis's typology: problems binned by how often the base solves them (its per-problem pass rate c/n), and per
// bin the change an arm makes. Bins are formed per seed from that seed's base; per seed the change is the mean over
// that seed's problems in the bin of arm − base, and the seeds' changes give a paired seed-level difference. With
// RlSeeds a seed's runs are averaged into its change first (SeedUnits); a run with no problem in the bin is left out.
using Rlvr.Host.Evaluation;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

/// <summary>How often the base solves a problem: never (0 of n), rare (under 5%), sometimes (5% to 50%), often (over 50%).</summary>
public enum BaseSolveRate { Never, Rare, Sometimes, Often }

/// <summary>An arm's change in one bin of the typology.</summary>
/// <param name="Problems">Per seed, the problems in the bin (0 where that seed's base put none there).</param>
/// <param name="PassAt1">The change in per-problem pass@1 (c/n), over the seeds with problems in the bin; null when none has.</param>
/// <param name="SolvedAtN">The change in the chance of solving a problem at least once in n' samples (n' the smaller n of arm and base); likewise.</param>
public sealed record TypologyBin(string Arm, BaseSolveRate Bin, IReadOnlyList<int> Problems, PairedDifference? PassAt1, PairedDifference? SolvedAtN);

/// <summary>Bins problems by the base's pass rate and measures an arm's change per bin.</summary>
public static class Typology
{
    /// <summary>The bin of a problem by the base's result on it.</summary>
    public static BaseSolveRate BinOf(ProblemResult baseline)
    {
        double rate = (double)baseline.Correct / baseline.Samples;
        return baseline.Correct == 0 ? BaseSolveRate.Never : rate < 0.05 ? BaseSolveRate.Rare : rate <= 0.5 ? BaseSolveRate.Sometimes : BaseSolveRate.Often;
    }

    /// <summary>The bins' label, e.g. "sometimes (5–50%)".</summary>
    public static string Label(BaseSolveRate bin) => bin switch
    {
        BaseSolveRate.Never => "never (0 of n)",
        BaseSolveRate.Rare => "rare (under 5%)",
        BaseSolveRate.Sometimes => "sometimes (5–50%)",
        _ => "often (over 50%)",
    };

    /// <summary>An arm's change in every bin, each seed against the base it started from.</summary>
    public static IReadOnlyList<TypologyBin> Of(string arm, IReadOnlyList<SeedPair> pairs, double confidence = 0.95) =>
        [.. Enum.GetValues<BaseSolveRate>().Select(bin =>
        {
            var perSeed = pairs.Select(pair =>
            {
                var inBin = pair.Matched.Where(m => BinOf(m.Base) == bin).ToList();
                return (Count: inBin.Count,
                    PassAt1: inBin.Count == 0 ? double.NaN : inBin.Average(m => Rate(m.Arm) - Rate(m.Base)),
                    SolvedAtN: inBin.Count == 0 ? double.NaN : inBin.Average(m => SolvedAt.Chance(m.Arm, pair.Samples) - SolvedAt.Chance(m.Base, pair.Samples)));
            }).ToList();
            double[] Units(Func<(int Count, double PassAt1, double SolvedAtN), double> change) =>
                [.. SeedUnits.Means([.. pairs.Select(p => p.Seed)], [.. perSeed.Select(change)]).Where(v => !double.IsNaN(v))];
            double[] passAt1 = Units(s => s.PassAt1), solvedAtN = Units(s => s.SolvedAtN);
            return new TypologyBin(arm, bin, [.. perSeed.Select(s => s.Count)],
                passAt1.Length == 0 ? null : PairedDifference.Of(passAt1, confidence),
                solvedAtN.Length == 0 ? null : PairedDifference.Of(solvedAtN, confidence));
        })];

    private static double Rate(ProblemResult problem) => (double)problem.Correct / problem.Samples;
}
