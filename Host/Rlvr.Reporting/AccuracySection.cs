// Section 5: answer accuracy (the right final answer) against step-verified accuracy (the right answer with every
// written step verified), per run: an outcome reward can reinforce right answers reached through wrong steps.
using System.Globalization;
using Rlvr.Host.Evaluation;

namespace Rlvr.Reporting;

internal static class AccuracySection
{
    public const string Figure = "accuracy.png", PassAtKFigure = "pass-at-k-step-verified.png", GapFigure = "pass-at-k-step-verified-minus-base.png";

    public static IEnumerable<ReportBlock> Build(ReportContext context)
    {
        yield return new ReportBlock.Heading(2, "5. Answer accuracy and step-verified accuracy");
        yield return new ReportBlock.Paragraph(
            "Answer accuracy is the share of all samples with the right final answer (pass@1); step-verified accuracy the share with the right answer " +
            "and every written step verified. Their ratio is how often a right answer comes with right steps. Means over seeds, with the range " +
            "across seeds in parentheses when there are several; accuracy does not depend on n.");
        var arms = context.EvaluatedArms;
        List<double> Values(string arm, Func<EvaluationResult, double> value) => [.. context.Study.Evaluated(arm).Select(r => value(r.Evaluation!))];
        double Ratio(EvaluationResult e) => e.AnswerAccuracy > 0 ? e.StepVerifiedAccuracy / e.AnswerAccuracy : double.NaN;
        yield return new ReportBlock.Table(["run", "seeds", "answer accuracy", "step-verified accuracy", "steps verified among right answers"],
            [.. arms.Select(arm => (IReadOnlyList<string>)[arm, context.Study.Evaluated(arm).Count.ToString(CultureInfo.InvariantCulture),
                ReportContext.MeanOverSeeds(Values(arm, e => e.AnswerAccuracy)), ReportContext.MeanOverSeeds(Values(arm, e => e.StepVerifiedAccuracy)),
                ReportContext.MeanOverSeeds(Values(arm, Ratio))])]);
        // pass@1 is the accuracy: its curve point at k = 1 carries the same seeds-then-problems interval as section 1.
        var answer = PassAtKSection.Curves(context, maxK: 1).Select(c => c.Points[0]).ToList();
        var verified = PassAtKSection.Curves(context.StepsVerified(), maxK: 1).Select(c => c.Points[0]).ToList();
        int level = context.ConfidencePercent;
        yield return new ReportBlock.Figure(Figure, $"Answer accuracy (solid) and step-verified accuracy (light) of each run, mean over seeds with {level}% intervals.",
            ReportPlots.GroupedBars($"Answer vs step-verified accuracy: {context.Study.Name}", "per run: answer accuracy (solid, left), step-verified accuracy (light, right)",
                "share of samples", arms,
            [
                new("answer accuracy", [.. answer.Select(i => i.Mean)], g => context.Palette[arms[g]], [.. answer.Select(i => (i.Lower, i.Upper))]),
                new("step-verified accuracy", [.. verified.Select(i => i.Mean)], g => context.Palette[arms[g]].WithAlpha(0.4), [.. verified.Select(i => (i.Lower, i.Upper))]),
            ], [.. arms.Select(arm => (arm, context.Palette[arm]))]));
        foreach (var block in StepVerifiedPassAtK(context.StepsVerified()))
            yield return block;
    }

    // Sections 1 and 2 again, on a study whose samples count as correct only with every step verified.
    private static IEnumerable<ReportBlock> StepVerifiedPassAtK(ReportContext verified)
    {
        int level = verified.ConfidencePercent;
        yield return new ReportBlock.Heading(3, "pass@k with every step verified");
        yield return new ReportBlock.Paragraph(
            "Sections 1 and 2 count a sample as right when its final answer is. Where a task has few possible answers, a model that writes wrong " +
            "steps still hits the right answer now and then, and at large k such hits alone lift pass@k toward 1: the answer-only ceiling then " +
            "measures guessing as much as solving. Here a sample counts only when its answer is right and every written step verifies; the same " +
            $"estimator, {level}% intervals, crossover rule and paired seed-level verdicts as above (the verdicts below are their own Holm family).");
        var curves = PassAtKSection.Curves(verified);
        yield return new ReportBlock.Figure(PassAtKFigure, $"Step-verified pass@k of the base and each arm against k (log2 scale), mean over seeds with {level}% bands.",
            ReportPlots.PassAtK(curves, verified.Palette, $"step-verified pass@k: {verified.Study.Name}"));
        yield return PassAtKSection.Table(curves);
        if (verified.ComparedArms.Count == 0) yield break;
        yield return OverviewSection.Verdicts(verified);
        yield return PassAtKSection.Differences(verified);
        foreach (var block in CrossoverSection.Blocks(verified, verified.ComparedArms, GapFigure,
                     $"Step-verified pass@k of each arm minus the base's at the same k and n, mean over seeds with {level}% paired bands.", $"step-verified pass@k gap to the base: {verified.Study.Name}"))
            yield return block;
    }
}
