// Section 4: pass@1 and pass@n of every run on each difficulty of the held-out problems, and each arm minus its base
// per difficulty at the smaller n: an arm trained on one band of difficulty may gain there and not on the others.
// A last row per arm, "all", pairs each seed with its own base over every problem.
using System.Globalization;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

internal static class DifficultySection
{
    public const string Figure = "pass-at-k-by-difficulty.png";

    public static IEnumerable<ReportBlock> Build(ReportContext context)
    {
        yield return new ReportBlock.Heading(2, "4. pass@k by difficulty");
        yield return new ReportBlock.Paragraph(
            "pass@1 and pass@n of each run on the held-out problems of each difficulty, n being the run's own samples per problem: the mean over a " +
            "difficulty's problems, then over seeds, with the range across seeds in parentheses when there are several. An arm trained on one band " +
            "of difficulty is judged on every band.");
        var arms = context.EvaluatedArms;
        yield return Levels(context);
        yield return new ReportBlock.Paragraph(
            "The same, with a sample counted as right only when its answer is right and every written step verifies (section 5): where a band's " +
            "answer-only pass@n is high and this one is near 0, the band's right answers come through wrong steps.");
        yield return Levels(context.StepsVerified());
        // The plot puts every run at the smallest n of all, so that its dashed lines compare like with like.
        int common = arms.Min(context.Samples);
        yield return new ReportBlock.Figure(Figure, $"pass@1 (solid) and pass@{common} (dashed, lighter) of each run against difficulty, mean over seeds; " +
            $"{common} is the smallest n of any run.",
            ReportPlots.ByDifficulty([.. arms.Select(arm => (arm, DifficultyPassAtK.Of(context.PerSeed(arm), common)))], context.Palette,
                $"pass@k by difficulty: {context.Study.Name}"));
        if (context.ComparedArms.Count == 0) yield break;
        yield return new ReportBlock.Heading(3, "Arm minus base");
        yield return new ReportBlock.Paragraph(
            "Each seed of an arm against the base of the same seed, on the problems both evaluated, at n' = the smaller n of the two (the base's " +
            "pass@n' re-estimated from its counts): d_s per seed, their mean with the range across seeds, and the verdict with the paired 95% " +
            "t-interval over seeds (docs/report.md). The band rows are their own Holm family (every arm, band, pass@1 and pass@n'); a band holds " +
            "few problems, so its d_s are noisy and its intervals wide. The row \"all\" is the same pairing over every problem: it is the overview's " +
            "headline test, with that family's verdict.");
        var headline = OverviewSection.Headline(context).ToLookup(t => t.Arm);
        var bands = context.ComparedArms.SelectMany(arm => DifficultyPassAtK.Gap(context.Study.Pairs(arm)).Select(d => (arm, d))).ToList();
        var tested = TestedDifference.Family([.. bands.SelectMany(b => new[]
            { (b.arm, "pass@1", PairedDifference.Of(b.d.PassAt1, context.Confidence)), (b.arm, "pass@n'", PairedDifference.Of(b.d.PassAtK, context.Confidence)) })]);
        yield return new ReportBlock.Table(["arm", "difficulty", "n compared", "problems", "pass@1 arm − base", "pass@n' arm − base", "pass@1 verdict", "pass@n' verdict"],
            [.. context.ComparedArms.SelectMany(arm =>
            {
                var rows = bands.Select((b, i) => (b.arm, b.d, PassAt1: tested[2 * i], PassAtK: tested[2 * i + 1])).Where(b => b.arm == arm)
                    .Select(b => (IReadOnlyList<string>)[.. Row(arm, b.d, signed: true), b.PassAt1.Verdict, b.PassAtK.Verdict]);
                var all = DifficultyPassAtK.Gap(context.Study.Pairs(arm), overall: true).Single();
                return rows.Append([.. Row(arm, all, signed: true), .. headline[arm].Select(t => t.Verdict)]);
            })]);
    }

    private static ReportBlock.Table Levels(ReportContext context) =>
        new(["run", "difficulty", "n", "problems", "pass@1", "pass@n"],
            [.. context.EvaluatedArms.SelectMany(arm => DifficultyPassAtK.Of(context.PerSeed(arm), context.Samples(arm)).Select(d => Row(arm, d, signed: false)))]);

    private static IReadOnlyList<string> Row(string arm, DifficultyPassAtK d, bool signed) =>
        [arm, d.Difficulty == DifficultyPassAtK.AllDifficulties ? "all" : d.Difficulty.ToString(CultureInfo.InvariantCulture), d.K.ToString(CultureInfo.InvariantCulture), string.Join(", ", d.Problems.Distinct()),
         ReportContext.MeanOverSeeds(d.PassAt1, signed: signed), ReportContext.MeanOverSeeds(d.PassAtK, signed: signed)];
}
