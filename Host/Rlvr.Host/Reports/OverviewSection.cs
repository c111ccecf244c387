// The report's opening: what study, which runs, what n, and how unequal n is handled.
using System.Globalization;

using Rlvr.Host.Runs;

namespace Rlvr.Host.Reports;

internal static class OverviewSection
{
    public static IEnumerable<ReportBlock> Build(ReportContext context)
    {
        var study = context.Study;
        var version = SoftwareVersion.Current;
        yield return new ReportBlock.Heading(1, $"Study report: {study.Name}");
        yield return new ReportBlock.Paragraph(
            $"Runs read from the study folder this report lies in (`{Path.GetFileName(study.Folder)}/`): the base (the pretrained model) and {study.TrainedArms.Count} trained arm(s), each trained from the base of the same seed. " +
            $"Written {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC by Rlvr {version.Rlvr}. How every number is computed: docs/report.md.");
        yield return new ReportBlock.Table(["run", "seeds", "n (samples per problem)", "problems", "pass@1", "coverage (pass@n)"],
            [.. context.EvaluatedArms.Select(arm =>
            {
                var runs = study.Evaluated(arm);
                return (IReadOnlyList<string>)[arm, string.Join(", ", runs.Select(r => r.Seed)), string.Join(", ", runs.Select(r => r.Evaluation!.Samples).Distinct()),
                    string.Join(", ", runs.Select(r => r.Evaluation!.Problems).Distinct()),
                    ReportContext.MeanOverSeeds([.. runs.Select(r => r.Evaluation!.PassAtK[0].Answer.Mean)]),
                    ReportContext.MeanOverSeeds([.. runs.Select(r => r.Evaluation!.Coverage)])];
            })]);
        if (context.ComparedArms.Count > 0)
        {
            yield return new ReportBlock.Paragraph(
                $"**Verdicts.** An arm differs from the base at a k only with at least {Verdict.SeedsForAFinding} seeds and 95% intervals that do not overlap " +
                "(seeds and problems resampled); otherwise the report says \"no difference\", whatever the gap between the means. Each arm is compared at the smaller n of the two.");
            yield return Verdicts(context);
        }
        if (context.SamplesDiffer)
        {
            int baseN = context.Samples(ReportContext.Base);
            yield return new ReportBlock.Paragraph(
                $"**Unequal n.** The runs drew different numbers of samples per problem ({string.Join(", ", context.EvaluatedArms.Select(a => $"{a}: {context.Samples(a)}"))}). " +
                $"Every comparison of an arm with the base is made at the smaller n of the two: pass@k only for k up to that n, with the base's pass@k re-estimated " +
                $"from its per-problem counts (unbiased at any k ≤ n), and problems gained or lost and reasoning paths as expected counts at that n. " +
                $"The base's curve alone goes on to k = {baseN}.");
        }
        if (study.Unevaluated.Count > 0)
            yield return new ReportBlock.Paragraph("Not evaluated (left out of every number): " +
                string.Join(", ", study.Unevaluated.Select(r => $"`{r.Arm}/seed-{r.Seed}`")) + ".");
        var orphans = study.TrainedArms.SelectMany(a => study.Evaluated(a)).Where(r => study.Evaluated(ReportContext.Base).All(b => b.Seed != r.Seed)).ToList();
        if (orphans.Count > 0)
            yield return new ReportBlock.Paragraph("Without an evaluated base of the same seed (left out of comparisons with the base): " +
                string.Join(", ", orphans.Select(r => $"`{r.Arm}/seed-{r.Seed}`")) + ".");
    }

    /// <summary>Each compared arm's three-seed verdict against the base at k = 1 and at k = n, the smaller n of the two.</summary>
    public static ReportBlock.Table Verdicts(ReportContext context) =>
        new ReportBlock.Table(["arm", "seeds", "pass@1", "pass@n"],
            [.. context.ComparedArms.Select(arm =>
            {
                var pairs = context.Study.Pairs(arm);
                int n = Math.Min(context.Samples(arm), context.Samples(ReportContext.Base));
                var armCurve = PassAtKCurve.Of(arm, [.. pairs.Select(p => p.Arm.PerProblem)], n);
                var baseCurve = PassAtKCurve.Of(ReportContext.Base, [.. pairs.Select(p => p.Base.PerProblem)], n);
                return (IReadOnlyList<string>)[arm, pairs.Count.ToString(CultureInfo.InvariantCulture),
                    Verdict.Of(armCurve.Points[0], baseCurve.Points[0], pairs.Count), $"n = {n}: " + Verdict.Of(armCurve.Points[^1], baseCurve.Points[^1], pairs.Count)];
            })]);
}
