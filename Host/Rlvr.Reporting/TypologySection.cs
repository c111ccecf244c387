// Section 3b: the thesis's typology. Problems binned by how often the base solves them, and per bin each arm's change
// in per-problem pass@1 and in solved-at-n', with seed-level paired intervals, as a table and two grouped bar plots.
using System.Globalization;

namespace Rlvr.Reporting;

internal static class TypologySection
{
    public const string PassAt1Figure = "typology-pass-at-1.png", SolvedFigure = "typology-solved-at-n.png";

    public static IEnumerable<ReportBlock> Build(ReportContext context) =>
        context.Comparison("3b. Typology: the change by how often the base solves a problem", arms => Body(context, arms));

    private static IEnumerable<ReportBlock> Body(ReportContext context, IReadOnlyList<string> arms)
    {
        int level = context.ConfidencePercent;
        yield return new ReportBlock.Paragraph(
            "The thesis under test: where the base never solves a problem, RL is almost useless (it cannot reinforce a success it never samples); " +
            "where the base sometimes does, RL raises the success rate a lot; where it often does, the gain saturates or reverses. Each seed's " +
            "held-out problems are binned by that seed's base pass rate c/n: never (0 of n), rare (under 5%), sometimes (5% to 50%), often (over 50%). " +
            "Per bin and seed the change is the mean over the bin's problems of arm − base, in pass@1 (c/n) and in the chance of solving the problem " +
            $"at least once in n' samples (n' the smaller n of the two); the cell gives the mean over seeds with its {level}% seed-level paired interval " +
            "(Student's t over the seeds with problems in the bin; no interval under two such seeds). \"Problems\" is the count per seed, " +
            "mean and range. Never-solved problems can only gain in solved-at-n', often-solved ones have little room: read each bin against its ceiling.");
        var bins = arms.SelectMany(arm => Typology.Of(arm, context.Study.Pairs(arm), context.Confidence)).ToList();
        yield return new ReportBlock.Table(["base solves", "arm", "problems per seed", "pass@1 arm − base", "solved at n' arm − base"],
            [.. bins.OrderBy(b => b.Bin).Select(b => (IReadOnlyList<string>)[Typology.Label(b.Bin), b.Arm,
                ReportContext.MeanOverSeeds([.. b.Problems.Select(p => (double)p)], decimals: 1),
                b.PassAt1 is { } d1 ? ReportFormat.Difference(d1) : "–", b.SolvedAtN is { } dn ? ReportFormat.Difference(dn) : "–"])]);
        yield return Figure(context, arms, bins, PassAt1Figure, b => b.PassAt1, "pass@1 arm − base",
            $"Change in per-problem pass@1 by how often the base solves the problem, mean over seeds with {level}% seed-level whiskers.");
        yield return Figure(context, arms, bins, SolvedFigure, b => b.SolvedAtN, "solved at n' arm − base",
            $"Change in the chance of solving a problem at least once in n' samples, by the same bins, with {level}% seed-level whiskers.");
    }

    private static ReportBlock.Figure Figure(ReportContext context, IReadOnlyList<string> arms, IReadOnlyList<TypologyBin> bins, string file,
        Func<TypologyBin, Host.Statistics.PairedDifference?> metric, string yLabel, string caption)
    {
        var groups = Enum.GetValues<BaseSolveRate>();
        var series = arms.Select(arm =>
        {
            var values = groups.Select(g => metric(bins.Single(b => b.Arm == arm && b.Bin == g))).ToList();
            return new ReportPlots.BarSeries(arm, [.. values.Select(d => d?.Mean ?? double.NaN)], _ => context.Palette[arm],
                [.. values.Select(d => (d?.Lower ?? double.NaN, d?.Upper ?? double.NaN))]);
        }).ToList();
        return new ReportBlock.Figure(file, caption, ReportPlots.GroupedBars($"{yLabel} by how often the base solves a problem: {context.Study.Name}",
            "base pass rate c/n on the problem", yLabel, [.. groups.Select(Typology.Label)], series,
            [.. arms.Select(arm => (arm, context.Palette[arm]))], valueFormat: "+0.000;−0.000;0.000"));
    }
}
