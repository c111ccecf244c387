// The per-seed paired differences the report's verdicts test: for seed s, d_s(k) = pass@k of the arm minus pass@k of
// the base of seed s, each the mean over the problems both evaluated of the unbiased per-problem pass@k (Chen et al.
// 2021) at n = the smallest n of any pair. Coverage is pass@n, so it is the last k. Problems enter only here, through
// each seed's estimate. With RlSeeds a seed's runs are averaged into its d_s first (SeedUnits).
using Rlvr.Host.Evaluation;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

/// <summary>Paired seed-level differences of pass@k between an arm and the bases its seeds were trained from.</summary>
public static class SeedDifferences
{
    /// <summary>d_s at each k, laid out [k][seed], in the order of <paramref name="ks"/> and of the pairs.</summary>
    public static double[][] PassAtK(IReadOnlyList<SeedPair> pairs, IReadOnlyList<int> ks) =>
        [.. ks.Select(k => PerUnit(pairs, pair => pair.Matched.Average(m =>
            Host.Evaluation.PassAtK.Estimate(m.Arm.Samples, m.Arm.Correct, k) - Host.Evaluation.PassAtK.Estimate(m.Base.Samples, m.Base.Correct, k))))];

    // A per-pair quantity as one value per unit of inference (SeedUnits): each base seed's pairs averaged over its RL
    // seeds, or the pairs themselves with one base seed. Without RlSeeds, the pairs' values unchanged.
    private static double[] PerUnit(IReadOnlyList<SeedPair> pairs, Func<SeedPair, double> value) =>
        SeedUnits.Means([.. pairs.Select(p => p.Seed)], [.. pairs.Select(value)]);

    /// <summary>The paired difference at pass@1 and at pass@n, n the smallest n of any pair: the report's headline metrics.</summary>
    public static (PairedDifference PassAt1, PairedDifference PassAtN, int N) Headline(IReadOnlyList<SeedPair> pairs, double level = 0.95)
    {
        int n = pairs.Min(p => p.Samples);
        var d = PassAtK(pairs, [1, n]);
        return (PairedDifference.Of(d[0], level), PairedDifference.Of(d[1], level), n);
    }
}

/// <summary>One paired difference of a family of tests, with its Holm-adjusted p and the verdict it gives.</summary>
/// <param name="AdjustedP">Holm-adjusted t-test p within the family; NaN where the difference has too few seeds to be tested.</param>
public sealed record TestedDifference(string Arm, string Metric, PairedDifference Difference, double AdjustedP)
{
    public string Verdict => Reporting.Verdict.Of(Difference, AdjustedP);

    /// <summary>
    /// Holm's correction over one family: every difference with at least <see cref="Reporting.Verdict.MinimumSeeds"/> seeds
    /// is one test; those with fewer are not tested (they get no verdict) and do not count towards the family's size.
    /// </summary>
    public static IReadOnlyList<TestedDifference> Family(IReadOnlyList<(string Arm, string Metric, PairedDifference Difference)> family)
    {
        var adjusted = Holm.Adjust([.. family.Select(f => f.Difference.Seeds >= Reporting.Verdict.MinimumSeeds ? f.Difference.TestP : double.NaN)]);
        return [.. family.Select((f, i) => new TestedDifference(f.Arm, f.Metric, f.Difference, adjusted[i]))];
    }
}
