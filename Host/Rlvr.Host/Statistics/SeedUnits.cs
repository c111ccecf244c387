// The unit of inference is the base seed. With RlSeeds an arm runs several times from each base (one run per RL
// seed); those runs share their base's pretraining and held-out problems, so they are not independent replicates of
// the finding. Each base seed's runs are averaged into one value first, and the seed-level statistics
// (PairedDifference) are taken over base seeds exactly as without RL seeds:
//
//   v_b = (1/R_b) Σ_r v_{b,r}      (the per-run values of base seed b; a NaN, a run with nothing to measure, left out)
//
// With a single base seed there is nothing to average over: the units are its RL seeds, and a finding covers that
// one pretrained base, not pretraining in general. Without RL seeds every base seed has one run and v_b is that run's
// value, unchanged.
namespace Rlvr.Host.Statistics;

/// <summary>Per-unit values from per-run values: the mean over each base seed's RL seeds.</summary>
public static class SeedUnits
{
    /// <summary>One value per unit, in the order the base seeds first appear in <paramref name="seeds"/>.</summary>
    /// <param name="seeds">Each run's base seed.</param>
    /// <param name="values">Each run's value, in the same order.</param>
    public static double[] Means(IReadOnlyList<int> seeds, IReadOnlyList<double> values)
    {
        if (seeds.Count != values.Count) throw new ArgumentException($"{seeds.Count} seeds for {values.Count} values: one base seed a run.", nameof(values));
        if (seeds.Distinct().Count() == 1) return [.. values];
        return [.. seeds.Zip(values).GroupBy(run => run.First)
            .Select(b => b.Select(run => run.Second).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average())];
    }

    /// <summary>
    /// What a seed-level claim over these runs covers, in words: "5 base seeds x 2 RL seeds; unit: base seed, RL seeds
    /// averaged within it", or "1 base seed x 6 RL seeds; unit: RL seed: the claim covers this base only".
    /// </summary>
    /// <param name="runs">Each run's base seed and RL seed (null for a run without one).</param>
    public static string Describe(IReadOnlyList<(int Seed, int? RlSeed)> runs)
    {
        var perBase = runs.GroupBy(r => r.Seed).Select(b => b.Count()).ToList();
        string bases = $"{perBase.Count} base seed{(perBase.Count == 1 ? "" : "s")}";
        if (runs.All(r => r.RlSeed is null)) return $"{bases}; unit: base seed";
        int fewest = perBase.Min(), most = perBase.Max();
        string rl = $"{(fewest == most ? $"{most}" : $"{fewest}–{most}")} RL seed{(most == 1 ? "" : "s")}";
        return perBase.Count == 1 && most > 1
            ? $"{bases} x {rl}; unit: RL seed: the claim covers this base only"
            : $"{bases} x {rl}; unit: base seed, RL seeds averaged within it";
    }
}
