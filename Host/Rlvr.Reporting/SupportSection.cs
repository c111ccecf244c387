// Section 6: support analysis. Distinct correct completions (paths) of base and arm, preserved, lost and new, in
// total and per difficulty; then the base's log-likelihood of each arm's correct samples against its own.
using System.Globalization;
using ScottPlot;

namespace Rlvr.Reporting;

internal static class SupportSection
{
    public const string Figure = "support.png";
    private static readonly Color s_preserved = Color.FromHex("#4c72b0"), s_lost = Color.FromHex("#c44e52"), s_new = Color.FromHex("#55a868");

    public static IEnumerable<ReportBlock> Build(ReportContext context) => context.Comparison("6. Support: distinct correct paths", arms => Body(context, arms));

    private static IEnumerable<ReportBlock> Body(ReportContext context, IReadOnlyList<string> arms)
    {
        yield return new ReportBlock.Paragraph(
            "A path is one distinct correct completion (its exact text) of a problem. Per problem, a path is preserved when both base and arm sampled it, " +
            "lost when the base did and the arm never did, new when the arm did and the base never did; summed over problems, mean over seeds. " +
            "At unequal n each path counts by its chance of being sampled within the smaller n (pass@n of its count), so the numbers are expected counts. " +
            "An arm that only sharpens keeps the base's common paths, loses its rare ones and finds few new ones; one that explores finds new ones.");
        var perSeed = arms.ToDictionary(arm => arm, arm => context.Study.Pairs(arm).Select(SupportAnalysis.Of).ToList());
        var analyses = arms.ToDictionary(arm => arm, arm => SupportAnalysis.Mean(perSeed[arm]));
        yield return new ReportBlock.Table(["arm", "n compared", "base paths", "arm paths", "preserved", "lost", "new", "share of base paths kept"],
            [.. arms.Select(arm => Row(arm, analyses[arm].Samples, analyses[arm].Total))]);
        // Whiskers span the seeds' lowest to highest count; one seed has no spread to show.
        ReportPlots.BarSeries Series(string name, Func<SupportCounts, double> count, Color color) => new(name, [.. arms.Select(a => count(analyses[a].Total))], _ => color,
            [.. arms.Select(a => perSeed[a].Count < 2 ? (double.NaN, double.NaN) : (perSeed[a].Min(s => count(s.Total)), perSeed[a].Max(s => count(s.Total))))]);
        yield return new ReportBlock.Figure(Figure, "Distinct correct paths per arm against the base: preserved, lost and new (mean over seeds; whiskers: lowest to highest seed).",
            ReportPlots.GroupedBars($"Correct paths against the base: {context.Study.Name}", "", "distinct correct completions", arms,
            [Series("preserved", c => c.Preserved, s_preserved), Series("lost", c => c.Lost, s_lost), Series("new", c => c.New, s_new)],
            [("preserved", s_preserved), ("lost", s_lost), ("new", s_new)], valueFormat: "F0"));
        yield return new ReportBlock.Heading(3, "Per difficulty");
        yield return new ReportBlock.Table(["arm", "difficulty", "base paths", "arm paths", "preserved", "lost", "new", "share of base paths kept"],
            [.. arms.SelectMany(arm => analyses[arm].ByDifficulty.Select(d => Row(arm, d.Key, d.Value)))]);
        foreach (var block in LikelihoodBlocks(context)) yield return block;
    }

    private static IReadOnlyList<string> Row(string arm, int key, SupportCounts c) =>
        [arm, key.ToString(CultureInfo.InvariantCulture), ReportFormat.Count(c.BasePaths), ReportFormat.Count(c.ArmPaths),
         ReportFormat.Count(c.Preserved), ReportFormat.Count(c.Lost), ReportFormat.Count(c.New),
         ReportFormat.Number(c.BasePaths > 0 ? c.Preserved / c.BasePaths : double.NaN)];

    private static IEnumerable<ReportBlock> LikelihoodBlocks(ReportContext context)
    {
        yield return new ReportBlock.Heading(3, "Base log-likelihood of correct samples");
        var likelihood = context.Likelihood;
        if (likelihood.Missing is { } reason)
        {
            yield return new ReportBlock.Paragraph($"Not computed: {reason}.");
            yield break;
        }
        yield return new ReportBlock.Paragraph(
            "Every correct sample scored under the base model of its seed: log p(completion + EOS | BOS + prompt), the sum of token log-probabilities " +
            "in nats; higher is more likely. If training only sharpens, an arm's correct samples sit where the base's likelihood is already high. " +
            "The last column is the share of a run's correct samples that the base finds less likely than 90% of its own correct samples.");
        var own = likelihood.Arms.FirstOrDefault(a => a.Arm == ReportContext.Base);
        double threshold = own?.Quantile(0.1) ?? double.NaN;
        yield return new ReportBlock.Table(["run", "correct samples", "mean", "median", "10th percentile", "below the base's 10th percentile"],
            [.. likelihood.Arms.Select(a => (IReadOnlyList<string>)[a.Arm, a.Total.ToString(CultureInfo.InvariantCulture), ReportFormat.Number(a.Mean, 2),
                ReportFormat.Number(a.Quantile(0.5), 2), ReportFormat.Number(a.Quantile(0.1), 2),
                ReportFormat.Number(a.LogLikelihoods.Zip(a.Counts).Where(p => p.First < threshold).Sum(p => p.Second) / (double)a.Total)])]);
        if (own is null) yield break;
        foreach (var arm in likelihood.Arms.Where(a => a.Arm != ReportContext.Base))
            yield return new ReportBlock.Figure($"likelihood-{arm.Arm}.png", $"Base log-likelihood of {arm.Arm}'s correct samples against the base's own; the leftmost bin also holds everything below the 1st percentile.",
                ReportPlots.Histograms($"{arm.Arm}: correct samples under the base", "log p_base(completion | prompt) (nats)",
                    ("base's own", own, Colors.Black), (arm.Arm, arm, context.Palette[arm.Arm])));
    }
}
