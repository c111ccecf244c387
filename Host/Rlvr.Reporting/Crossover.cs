// Where an arm's pass@k curve crosses its base's (Yue et al. 2025), in either direction, at the smaller n of the two:
// per seed, on the seed-mean curves, and as the paired difference curve d(k) = arm − base with its seed-level interval
// at each k. A crossing of the mean curves is decided when d(k) is decided on both sides of it: some k before it whose
// interval excludes 0 in favour of the curve that was ahead, and some k from it on whose interval excludes 0 in favour
// of the curve that overtakes.
using Rlvr.Host.Evaluation;
using Rlvr.Host.Statistics;
using Rlvr.Host.Studies;

namespace Rlvr.Reporting;

/// <summary>An arm's crossings with the base.</summary>
/// <param name="Samples">The n compared at: the smallest n of any seed of the arm or its bases.</param>
/// <param name="PerSeed">Each seed's curve order (arm seed s against base seed s), one per RL seed with RlSeeds.</param>
/// <param name="OverSeedMean">The order of the seed-mean curves.</param>
/// <param name="BaseMean">The base's pass@k at <see cref="Ks"/>, on the problems both evaluated, mean over seeds.</param>
/// <param name="ArmMean">The arm's, likewise.</param>
/// <param name="Difference">d(k) = arm − base at each of <see cref="Ks"/>, paired over seeds.</param>
public sealed record Crossover(string Arm, int Samples, IReadOnlyList<(int Seed, int? RlSeed, CurveOrder Order)> PerSeed, CurveOrder OverSeedMean,
    IReadOnlyList<double> BaseMean, IReadOnlyList<double> ArmMean, IReadOnlyList<PairedDifference> Difference)
{
    /// <summary>The k compared: 1, 2, 4, ..., <see cref="Samples"/>.</summary>
    public IReadOnlyList<int> Ks => PassAtK.Ks(Samples);

    public static Crossover Of(string arm, IReadOnlyList<SeedPair> pairs, double confidence = 0.95)
    {
        if (pairs.Count == 0) throw new ArgumentException($"Arm {arm} has no seed with an evaluated base.", nameof(pairs));
        int n = pairs.Min(p => p.Samples);
        var ks = PassAtK.Ks(n);
        var curves = pairs.Select(p => (p.Seed, p.RlSeed,
            Base: PassAtK.MeanCurve([.. p.Matched.Select(m => m.Base)], ks),
            Arm: PassAtK.MeanCurve([.. p.Matched.Select(m => m.Arm)], ks))).ToList();
        // One value per unit of inference at each k: a seed's RL seeds averaged (SeedUnits).
        int[] seeds = [.. curves.Select(c => c.Seed)];
        double[] Units(Func<(int, int?, double[] Base, double[] Arm), double[]> side, int i) => SeedUnits.Means(seeds, [.. curves.Select(c => side(c)[i])]);
        double[] Mean(Func<(int, int?, double[] Base, double[] Arm), double[]> side) =>
            [.. Enumerable.Range(0, ks.Count).Select(i => Units(side, i).Average())];
        double[] baseMean = Mean(c => c.Base), armMean = Mean(c => c.Arm);
        var difference = Enumerable.Range(0, ks.Count)
            .Select(i => PairedDifference.Of(Units(c => c.Arm, i), Units(c => c.Base, i), confidence)).ToList();
        return new Crossover(arm, n, [.. curves.Select(c => (c.Seed, c.RlSeed, CurveOrder.Of(ks, c.Base, c.Arm)))],
            CurveOrder.Of(ks, baseMean, armMean), baseMean, armMean, difference);
    }

    /// <summary>Whether d(k) is decided on both sides of <paramref name="crossing"/>, in opposite directions.</summary>
    public bool Decided(Crossing crossing)
    {
        int at = Ks.ToList().IndexOf(crossing.K);
        return Difference.Take(at).Any(d => Favours(d, crossing.Behind)) && Difference.Skip(at).Any(d => Favours(d, crossing.Ahead));
    }

    /// <summary>The seeds' first crossing in <paramref name="direction"/>: their k's median and range, and how many seeds have one.</summary>
    public (double Median, int Min, int Max, int Seeds)? AcrossSeeds(Leader direction)
    {
        var ks = PerSeed.Select(s => s.Order.Crossings.FirstOrDefault(c => c.Ahead == direction)?.K).OfType<int>().Order().ToList();
        if (ks.Count == 0) return null;
        double median = ks.Count % 2 == 1 ? ks[ks.Count / 2] : (ks[ks.Count / 2 - 1] + ks[ks.Count / 2]) / 2.0;
        return (median, ks[0], ks[^1], ks.Count);
    }

    // The interval excludes 0 on the side of the curve that is ahead.
    private static bool Favours(PairedDifference d, Leader leader) => leader == Leader.Arm ? d.Lower > 0 : d.Upper < 0;
}
