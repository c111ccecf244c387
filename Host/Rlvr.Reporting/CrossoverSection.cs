// Section 2: where each arm's pass@k curve crosses the base's, in either direction, per seed and on the seed mean,
// with the paired difference curve d(k) and its seed-level interval as a table and a plot.
using System.Globalization;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Studies;

namespace Rlvr.Reporting;

internal static class CrossoverSection
{
    public const string Figure = "pass-at-k-minus-base.png";

    public static IEnumerable<ReportBlock> Build(ReportContext context) => context.Comparison("2. Crossover k", arms => Body(context, arms));

    private static IEnumerable<ReportBlock> Body(ReportContext context, IReadOnlyList<string> arms)
    {
        int level = context.ConfidencePercent;
        yield return new ReportBlock.Paragraph(
            "A crossover k is where the arm's and the base's pass@k curves change order (Yue et al. 2025), over k = 1, 2, 4, … up to the smaller n of arm " +
            "and base: one curve is strictly ahead below it, the other strictly ahead from it on. A tie, such as both curves at 1.000, is not a crossing. " +
            "Crossings go both ways: \"base from 16\" is RL's shape (the arm ahead at small k, the base from k = 16); \"arm from 32\" is the shape " +
            "distillation can give (the arm behind at small k, ahead from k = 32). Each seed's arm is compared with the base it started from; " +
            "\"across seeds\" gives the median and range of the seeds' first crossing in each direction. A crossing of the seed-mean curves is decided " +
            $"when the paired difference d(k) = arm − base is decided on both sides of it: some k before it and some k from it on whose {level}% " +
            "seed-level intervals exclude 0 with opposite signs (each interval at its own level, uncorrected). Under two seeds nothing is decided.");
        foreach (var block in Blocks(context, arms, Figure, $"pass@k of each arm minus the base's at the same k and n, mean over seeds with {level}% seed-level paired bands: a curve crosses zero at a crossover k.",
                     $"pass@k gap to the base: {context.Study.Name}"))
            yield return block;
    }

    /// <summary>The crossover table, the table of d(k), then the figure of each arm's gap to the base.</summary>
    public static IEnumerable<ReportBlock> Blocks(ReportContext context, IReadOnlyList<string> arms, string figure, string caption, string title)
    {
        var crossovers = arms.Select(arm => Crossover.Of(arm, context.Study.Pairs(arm), context.Confidence)).ToList();
        var seeds = crossovers.SelectMany(c => c.PerSeed.Select(s => (s.Seed, s.RlSeed))).Distinct().Order().ToList();
        yield return new ReportBlock.Table(["arm", "n compared", .. seeds.Select(s => $"seed {SeedPair.LabelOf(s.Seed, s.RlSeed)}"), "seed mean", "base overtakes, across seeds", "arm overtakes, across seeds", "seed-mean crossing decided"],
            [.. crossovers.Select(c => (IReadOnlyList<string>)[c.Arm, c.Samples.ToString(CultureInfo.InvariantCulture),
                .. seeds.Select(s => c.PerSeed.Where(p => (p.Seed, p.RlSeed) == s).Select(p => p.Order.Short()).DefaultIfEmpty("–").First()),
                c.OverSeedMean.Short(), AcrossSeeds(c, Leader.Base), AcrossSeeds(c, Leader.Arm), Decided(c)])]);
        var ks = crossovers.SelectMany(c => c.Ks).Distinct().Order().ToList();
        yield return new ReportBlock.Table(["k", .. crossovers.Select(c => $"{c.Arm} − base")],
            [.. ks.Select(k => (IReadOnlyList<string>)[k.ToString(CultureInfo.InvariantCulture),
                .. crossovers.Select(c => c.Ks.ToList().IndexOf(k) is var i and >= 0 ? ReportFormat.Difference(c.Difference[i]) : "–")])]);
        yield return new ReportBlock.Figure(figure, caption, ReportPlots.Gaps([.. crossovers.Select(c => PassAtKCurve.Gap(c.Arm, c.Samples, c.Ks, c.Difference))], context.Palette, title));
    }

    private static string AcrossSeeds(Crossover c, Leader direction) => c.AcrossSeeds(direction) is var (median, min, max, count)
        ? $"k median {median.ToString("0.#", CultureInfo.InvariantCulture)}, range {min}–{max} ({count} of {c.PerSeed.Count} seeds)"
        : "none";

    private static string Decided(Crossover c) => c.OverSeedMean.Crossings.Count == 0 ? "no crossing"
        : string.Join("; ", c.OverSeedMean.Crossings.Select(x => $"{Crossing.Name(x.Ahead)} from {x.K}: {(c.Decided(x) ? "decided" : "not decided")}"));
}
