// The crossover k of an arm against its base (Yue et al. 2025): the smallest k where the base's pass@k meets or
// beats the arm's, per seed and on the mean over seeds, at the smaller n of the two.
using Rlvr.Host.Evaluation;
using Rlvr.Host.Studies;

namespace Rlvr.Host.Reports;

/// <summary>An arm's crossover k against the base.</summary>
/// <param name="Samples">The n compared at: the smallest n of any seed of the arm or its bases.</param>
/// <param name="PerSeed">Each seed's crossover k; null when the arm leads at every k up to <paramref name="Samples"/>.</param>
/// <param name="OverSeedMean">The crossover k of the seed-mean curves.</param>
/// <param name="BaseMean">The base's pass@k at <see cref="Ks"/>, on the problems both evaluated, mean over seeds.</param>
/// <param name="ArmMean">The arm's, likewise.</param>
public sealed record Crossover(string Arm, int Samples, IReadOnlyList<(int Seed, int? K)> PerSeed, int? OverSeedMean,
    IReadOnlyList<double> BaseMean, IReadOnlyList<double> ArmMean)
{
    /// <summary>The k compared: 1, 2, 4, ..., <see cref="Samples"/>.</summary>
    public IReadOnlyList<int> Ks => PassAtK.Ks(Samples);

    public static Crossover Of(string arm, IReadOnlyList<SeedPair> pairs)
    {
        if (pairs.Count == 0) throw new ArgumentException($"Arm {arm} has no seed with an evaluated base.", nameof(pairs));
        int n = pairs.Min(p => p.Samples);
        var ks = PassAtK.Ks(n);
        var curves = pairs.Select(p => (p.Seed,
            Base: PassAtK.MeanCurve([.. p.Matched.Select(m => m.Base)], ks),
            Arm: PassAtK.MeanCurve([.. p.Matched.Select(m => m.Arm)], ks))).ToList();
        double[] Mean(Func<(int, double[] Base, double[] Arm), double[]> side) =>
            [.. Enumerable.Range(0, ks.Count).Select(i => curves.Average(c => side(c)[i]))];
        double[] baseMean = Mean(c => c.Base), armMean = Mean(c => c.Arm);
        return new Crossover(arm, n, [.. curves.Select(c => (c.Seed, ArmComparison.FindCrossoverK(ks, c.Base, c.Arm)))],
            ArmComparison.FindCrossoverK(ks, baseMean, armMean), baseMean, armMean);
    }
}
