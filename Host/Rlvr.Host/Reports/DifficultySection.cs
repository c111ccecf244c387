// Section 4: pass@1 and pass@n of every run on each difficulty of the held-out problems, and each arm minus its base
// per difficulty at the smaller n: an arm trained on one band of difficulty may gain there and not on the others.
// A last row per arm, "all", pairs each seed with its own base over every problem.
using System.Globalization;
using Rlvr.Host.Evaluation;

namespace Rlvr.Host.Reports;

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
            "pass@n' re-estimated from its counts); mean over seeds, with the range across seeds when there are several, and a 95% interval " +
            "(seeds resampled, then the problems within each) with \"higher\" or \"lower\" where it excludes 0. A band holds few problems, so " +
            "these intervals are wide; like every per-band reading they are not the three-seed verdict over all problems. The row \"all\" is the " +
            "same pairing over every problem: since each seed is compared with its own base, it leaves out how much the bases of different seeds " +
            "differ, which the verdict's rule (the arm's interval apart from the base's) keeps in; an \"all\" interval that excludes 0 beside a " +
            "verdict of no difference says the arm moved the same way from each of its bases by less than the bases differ.");
        yield return new ReportBlock.Table(["arm", "difficulty", "n compared", "problems", "pass@1 arm − base", "pass@n' arm − base", "pass@1 interval", "pass@n' interval"],
            [.. context.ComparedArms.SelectMany(arm =>
            {
                var pairs = context.Study.Pairs(arm);
                return GapRows(arm, pairs, overall: false).Concat(GapRows(arm, pairs, overall: true));
            })]);
    }

    private static IEnumerable<IReadOnlyList<string>> GapRows(string arm, IReadOnlyList<SeedPair> pairs, bool overall)
    {
        var intervals = DifficultyPassAtK.GapIntervals(pairs, overall);
        return DifficultyPassAtK.Gap(pairs, overall).Select(d => (IReadOnlyList<string>)[.. Row(arm, d, signed: true),
            GapInterval(intervals[d.Difficulty].PassAt1), GapInterval(intervals[d.Difficulty].PassAtK)]);
    }

    private static ReportBlock.Table Levels(ReportContext context) =>
        new(["run", "difficulty", "n", "problems", "pass@1", "pass@n"],
            [.. context.EvaluatedArms.SelectMany(arm => DifficultyPassAtK.Of(context.PerSeed(arm), context.Samples(arm)).Select(d => Row(arm, d, signed: false)))]);

    private static string GapInterval(Interval i) => ReportFormat.SignedBounds(i) + ReportFormat.Side(i, " higher", " lower", "");

    private static IReadOnlyList<string> Row(string arm, DifficultyPassAtK d, bool signed) =>
        [arm, d.Difficulty == DifficultyPassAtK.AllDifficulties ? "all" : d.Difficulty.ToString(CultureInfo.InvariantCulture), d.K.ToString(CultureInfo.InvariantCulture), string.Join(", ", d.Problems.Distinct()),
         ReportContext.MeanOverSeeds(d.PassAt1, signed: signed), ReportContext.MeanOverSeeds(d.PassAtK, signed: signed)];
}
