// Section 2: the crossover k of each arm against the base, per seed and on the seed mean, with the gap curve.
using System.Globalization;
using Rlvr.Host.Evaluation;

namespace Rlvr.Host.Reports;

internal static class CrossoverSection
{
    public const string Figure = "pass-at-k-minus-base.png";

    public static IEnumerable<ReportBlock> Build(ReportContext context) => context.Comparison("2. Crossover k", arms => Body(context, arms));

    private static IEnumerable<ReportBlock> Body(ReportContext context, IReadOnlyList<string> arms)
    {
        yield return new ReportBlock.Paragraph(
            "The crossover k is the smallest k at which the base's pass@k meets or beats the arm's (Yue et al. 2025): below it the arm is ahead, " +
            "from it on the base is. It is taken over k = 1, 2, 4, … up to the smaller n of arm and base, per seed (the arm against the base it " +
            "started from) and on the curves averaged over seeds. \"none up to n\" means the arm leads at every k compared.");
        foreach (var block in Blocks(context, arms, Figure, $"pass@k of each arm minus the base's at the same k and n, mean over seeds with {(int)Math.Round(context.Confidence * 100)}% paired bands: a curve crosses zero at its crossover k.",
                     $"pass@k gap to the base: {context.Study.Name}"))
            yield return block;
    }

    /// <summary>The crossover table, per seed and on the seed mean, then the figure of each arm's gap to the base.</summary>
    public static IEnumerable<ReportBlock> Blocks(ReportContext context, IReadOnlyList<string> arms, string figure, string caption, string title)
    {
        var crossovers = arms.Select(arm => Crossover.Of(arm, context.Study.Pairs(arm))).ToList();
        var seeds = crossovers.SelectMany(c => c.PerSeed.Select(s => s.Seed)).Distinct().Order().ToList();
        yield return new ReportBlock.Table(["arm", "n compared", .. seeds.Select(s => $"seed {s}"), "seed mean", "pass@1 arm − base", "pass@n arm − base"],
            [.. crossovers.Select(c => (IReadOnlyList<string>)[c.Arm, c.Samples.ToString(CultureInfo.InvariantCulture),
                .. seeds.Select(s => c.PerSeed.Where(p => p.Seed == s).Select(p => ReportFormat.Crossover(p.K, c.Samples)).DefaultIfEmpty("–").First()),
                ReportFormat.Crossover(c.OverSeedMean, c.Samples), ReportFormat.Signed(c.ArmMean[0] - c.BaseMean[0]), ReportFormat.Signed(c.ArmMean[^1] - c.BaseMean[^1])])]);
        var gaps = arms.Select(arm => PassAtKCurve.Gap(arm, context.Study.Pairs(arm), context.Confidence)).ToList();
        yield return new ReportBlock.Figure(figure, caption, ReportPlots.Gaps(gaps, context.Palette, title));
    }
}
