// The report's opening: what study, which runs, what n, and how unequal n is handled.
using System.Globalization;

using Rlvr.Host.Runs;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

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
                $"**Verdicts.** Each seed of an arm is set against the base it was trained from: d_s = arm_s − base_s on the same problems, at the " +
                $"smaller n of the two. An arm is \"higher\" or \"lower\" only when the paired t-test over seeds rejects d = 0 at {ReportFormat.Number(Verdict.Alpha, 2)} after " +
                $"Holm's correction over this table (every arm at pass@1 and pass@n; coverage is pass@n); otherwise \"no difference\" with the mean " +
                $"difference and its 95% t-interval. A verdict needs {Verdict.MinimumSeeds} seeds: at 3, t has 2 degrees of freedom (the interval is " +
                "d̄ ± 4.30 s_d/√3) and the exact sign flip cannot go below 0.25; the sign flip is shown as a check that needs no normality. " +
                "Gained and lost problems, with an exact sign test, follow the table. Formulas: docs/report.md.");
            if (study.HasRlSeeds)
                yield return new ReportBlock.Paragraph(
                    "**What a claim covers.** Each arm ran several times from each base, once per RL seed (RlSeeds). Those runs share their base, so " +
                    "they are not independent seeds: the unit of inference is the base seed, and an arm's value for a base seed is the mean over its RL " +
                    "seeds, d_b = (1/R) Σ_r arm_{b,r} − base_b; with a single base the units are its RL seeds, and a claim covers that base only. " +
                    "The \"seeds\" columns count units. " + string.Join("; ", context.ComparedArms.Select(arm => $"{arm}: {study.Design(arm)}")) + ".");
            yield return Verdicts(context);
            yield return GainedAndLost(context);
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
                string.Join(", ", study.Unevaluated.Select(r => $"`{r.Name}`")) + ".");
        var orphans = study.TrainedArms.SelectMany(a => study.Evaluated(a)).Where(r => study.Evaluated(ReportContext.Base).All(b => b.Seed != r.Seed)).ToList();
        if (orphans.Count > 0)
            yield return new ReportBlock.Paragraph("Without an evaluated base of the same seed (left out of comparisons with the base): " +
                string.Join(", ", orphans.Select(r => $"`{r.Name}`")) + ".");
    }

    /// <summary>Each compared arm's paired difference from the base at k = 1 and at k = n (the smaller n of the two), one Holm family.</summary>
    public static ReportBlock.Table Verdicts(ReportContext context) =>
        new ReportBlock.Table(["arm", "metric", "seeds", "d̄ (arm − base)", "95% CI", "t-test p", "sign-flip p", "d_z", "Holm p", "verdict"],
            [.. Headline(context).Select(t => (IReadOnlyList<string>)[t.Arm, t.Metric, .. ReportFormat.Paired(t.Difference), Verdict.P(t.AdjustedP), t.Verdict])]);

    /// <summary>The headline family: every compared arm at pass@1 and at pass@n, n the smallest n of its pairs; two rows per arm in that order.</summary>
    public static IReadOnlyList<TestedDifference> Headline(ReportContext context) =>
        TestedDifference.Family([.. context.ComparedArms.SelectMany(arm =>
        {
            var (passAt1, passAtN, n) = SeedDifferences.Headline(context.Study.Pairs(arm), context.Confidence);
            return new[] { (arm, "pass@1", passAt1), (arm, $"pass@{n}", passAtN) };
        })]);

    /// <summary>
    /// Problems gained (the base never solved them in n samples, the arm did) and lost (the reverse) per seed and pooled over
    /// seeds, with the exact two-sided sign test of gained against lost. At unequal n the expected counts are rounded for the test.
    /// </summary>
    public static ReportBlock.Table GainedAndLost(ReportContext context) =>
        new(["arm", "seed", "gained", "lost", "sign-test p"],
            [.. context.ComparedArms.SelectMany(arm =>
            {
                var changes = context.Study.Pairs(arm).Select(p => (Seed: p.Label, Change: CoverageChange.Of(p))).ToList();
                var rows = changes.Select(c => (c.Seed, c.Change.Gained, c.Change.Lost)).ToList();
                if (rows.Count > 1) rows.Add(("pooled", changes.Sum(c => c.Change.Gained), changes.Sum(c => c.Change.Lost)));
                return rows.Select(r => (IReadOnlyList<string>)[arm, r.Seed, ReportFormat.Count(r.Gained), ReportFormat.Count(r.Lost),
                    Verdict.P(SignTest.P((int)Math.Round(r.Gained), (int)Math.Round(r.Lost)))]);
            })]);
}
