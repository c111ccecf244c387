// Section 1: pass@k curves of the base and every arm, mean over seeds with a bootstrap band, and the table behind them.
using System.Globalization;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

internal static class PassAtKSection
{
    public const string Figure = "pass-at-k.png";

    public static IEnumerable<ReportBlock> Build(ReportContext context)
    {
        var curves = Curves(context);
        int level = context.ConfidencePercent;
        yield return new ReportBlock.Heading(2, "1. pass@k curves");
        yield return new ReportBlock.Paragraph(
            $"pass@k is the chance that at least one of k samples is right, estimated without bias from each problem's n samples and c correct ones " +
            $"(Chen et al. 2021), averaged over the held-out problems and then over seeds. The band and the brackets are {level}% bootstrap intervals " +
            $"({context.Resamples} resamples): the seeds are resampled, then the problems within each drawn seed; with one seed only the problems are, " +
            $"which gives the interval evaluation.json holds. The bands show each curve's spread; whether an arm differs from the base is " +
            $"never read from overlapping bands but from the paired seed-level differences (the overview's verdicts). Each curve runs to its own n.");
        yield return new ReportBlock.Figure(Figure, $"pass@k of the base and each arm against k (log2 scale), mean over seeds with {level}% bands.",
            ReportPlots.PassAtK(curves, context.Palette, $"pass@k on held-out problems: {context.Study.Name}"));
        yield return Table(curves);
        if (context.ComparedArms.Count == 0) yield break;
        yield return new ReportBlock.Paragraph(
            "Each arm minus the base at every k up to the smaller n of the two, paired by seed: d̄ is the mean over seeds of d_s = arm_s − base_s, " +
            "with its 95% t-interval over seeds, the paired t-test p, the exact sign-flip p and d_z (docs/report.md). These are descriptive: the " +
            "verdicts are the overview's, at pass@1 and pass@n with Holm's correction.");
        yield return Differences(context);
    }

    /// <summary>Each compared arm's paired seed-level difference from the base at every k of the grid up to the smaller n.</summary>
    public static ReportBlock.Table Differences(ReportContext context) =>
        new(["arm", "k", "seeds", "d̄ (arm − base)", "95% CI", "t-test p", "sign-flip p", "d_z"],
            [.. context.ComparedArms.SelectMany(arm =>
            {
                var pairs = context.Study.Pairs(arm);
                var ks = PassAtK.Ks(pairs.Min(p => p.Samples));
                return ks.Zip(SeedDifferences.PassAtK(pairs, ks), (k, d) => (IReadOnlyList<string>)[arm, k.ToString(CultureInfo.InvariantCulture),
                    .. ReportFormat.Paired(PairedDifference.Of(d, context.Confidence))]);
            })]);

    /// <summary>Each evaluated arm's curve, base first, to its own n or to <paramref name="maxK"/> if smaller.</summary>
    public static IReadOnlyList<PassAtKCurve> Curves(ReportContext context, int? maxK = null) =>
        [.. context.EvaluatedArms.Select(arm => PassAtKCurve.Of(arm, context.PerSeed(arm), maxK is int k ? Math.Min(k, context.Samples(arm)) : null,
            context.Resamples, context.Confidence))];

    /// <summary>k against each curve's mean and interval.</summary>
    public static ReportBlock.Table Table(IReadOnlyList<PassAtKCurve> curves)
    {
        var ks = curves.SelectMany(c => c.Ks).Distinct().Order().ToList();
        return new ReportBlock.Table(["k", .. curves.Select(c => c.Arm)],
            [.. ks.Select(k => (IReadOnlyList<string>)[k.ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. curves.Select(c => c.At(k) is { } point ? ReportFormat.Interval(point) : "–")])]);
    }
}
