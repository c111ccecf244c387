// Section 8: training curves from metrics.jsonl (stage "train"), one plot per metric with a line per arm.
using System.Globalization;

namespace Rlvr.Reporting;

internal static class TrainingSection
{
    private const int Window = 10;

    // The metrics plotted, with what each measures; "loss" is what SFT logs in place of a reward.
    private static readonly (string Metric, string Meaning)[] s_metrics =
    [
        ("reward_mean", "mean reward of the step's rollouts"),
        ("kl", "KL divergence to the reference model"),
        ("entropy", "mean per-token entropy of the policy (nats)"),
        ("length_mean", "mean completion length (tokens)"),
        ("zero_std_groups", "share of groups whose rewards are all equal (no learning signal)"),
        ("loss", "training loss (SFT: next-token cross-entropy)"),
    ];

    public static IEnumerable<ReportBlock> Build(ReportContext context)
    {
        yield return new ReportBlock.Heading(2, "8. Training curves");
        var arms = context.Study.TrainedArms;
        var curves = s_metrics.ToDictionary(m => m.Metric, m => arms
            .Select(arm => TrainingCurve.Of(arm, m.Metric, SeedMetrics(context, arm)))
            .OfType<TrainingCurve>().ToList());
        yield return new ReportBlock.Paragraph(
            $"From each arm's metrics.jsonl, stage \"{TrainingCurve.TrainStage}\": the mean over seeds at each step every seed logged. The faint line is " +
            $"that mean, the solid one its moving average over {Window} steps. The table gives the mean of the first and of the last {Window} logged steps, " +
            $"or of the first and the second half where fewer than {2 * Window} were logged.");
        var missing = s_metrics.Where(m => curves[m.Metric].Count == 0).Select(m => $"`{m.Metric}`").ToList();
        if (missing.Count > 0) yield return new ReportBlock.Paragraph($"Not logged by any arm: {string.Join(", ", missing)}.");
        var shown = s_metrics.Where(m => curves[m.Metric].Count > 0).ToList();
        yield return new ReportBlock.Table(["arm", "steps", .. shown.Select(m => $"{m.Metric}: first → last")],
            [.. arms.Select(arm => (IReadOnlyList<string>)[arm,
                shown.Select(m => curves[m.Metric].FirstOrDefault(c => c.Arm == arm)).OfType<TrainingCurve>().Select(c => c.Steps.Count).DefaultIfEmpty(0).Max().ToString(CultureInfo.InvariantCulture),
                .. shown.Select(m => curves[m.Metric].FirstOrDefault(c => c.Arm == arm) is { } c ? Ends(c) : "–")])]);
        if (curves["reward_mean"] is { Count: > 0 } rewards) foreach (var block in RewardChange(rewards)) yield return block;
        foreach (var block in Clipping(context, arms)) yield return block;
        foreach (var (metric, meaning) in shown)
            yield return new ReportBlock.Figure($"training-{metric}.png", $"{metric}: {meaning}; per arm, mean over seeds, moving average over {Window} steps.",
                ReportPlots.TrainingCurves($"{metric}: {meaning}", metric, curves[metric], context.Palette, Window));
    }

    // Each seed's metrics records of the arm, in seed order.
    private static IReadOnlyList<IReadOnlyList<Rlvr.Metrics.MetricsRecord>> SeedMetrics(ReportContext context, string arm) =>
        [.. context.Study.Runs.Where(r => r.Arm == arm).OrderBy(r => r.Seed).Select(r => r.Metrics)];

    // First → last; a single logged step has no change to show.
    private static string Ends(TrainingCurve curve)
    {
        var (first, last) = curve.Ends(Window);
        return curve.Mean.Count < 2 ? ReportFormat.Number(first) : $"{ReportFormat.Number(first)} → {ReportFormat.Number(last)}";
    }

    // How many optimiser steps each rollout batch gave, and how often the ratio clip bound. With one epoch of one
    // mini-batch the ratio is exactly 1 at the only update, so clip-higher and dual-clip cannot act: a comparison of
    // algorithms is only fair at equal updates, and a clip's effect needs a fraction above 0.
    private static IEnumerable<ReportBlock> Clipping(ReportContext context, IReadOnlyList<string> arms)
    {
        string[] metrics = ["updates", "clip_high", "clip_low"];
        var rows = arms.Select(arm => (arm, curves: metrics.Select(metric => TrainingCurve.Of(arm, metric, SeedMetrics(context, arm))).ToList()))
            .Where(row => row.curves.Any(c => c is not null)).ToList();
        if (rows.Count == 0) yield break;
        yield return new ReportBlock.Paragraph(
            "Optimiser steps per rollout batch (epochs × mini-batches) and the clip fractions, each the mean over all logged steps and seeds: " +
            "`clip_high` is the share of tokens with a positive advantage whose ratio passed 1 + ε_high, `clip_low` the share with a negative " +
            "advantage whose ratio fell below 1 − ε_low. With one update per batch the ratio is exactly 1 and both are 0: clip-higher and " +
            "dual-clip cannot act, and arms with different update counts differ in optimiser steps as well as in their algorithm.");
        yield return new ReportBlock.Table(["arm", .. metrics],
            [.. rows.Select(row => (IReadOnlyList<string>)[row.arm, .. row.curves.Select((c, i) => c is null ? "–"
                : ReportFormat.Number(c.Mean.Average(), decimals: i == 0 ? 3 : 5))])]);   // the fractions are often under a thousandth
    }

    // Did the reward move more than a step's fresh problems move it? Each point is a new draw of problems and samples,
    // so first and last quarter are compared against that spread; the held-out pass@1 of sections 1 and 4 is the
    // paired measure (same problems for arm and base).
    private static IEnumerable<ReportBlock> RewardChange(IReadOnlyList<TrainingCurve> rewards)
    {
        yield return new ReportBlock.Paragraph(
            "Training reward, last quarter of the steps minus the first quarter, with a 95% interval from the spread of the per-step " +
            "values: every step draws new problems and samples, and that draw alone moves the reward, even with the learning rate " +
            "at 0. A change inside the interval is no evidence that the arm trained; the held-out pass@1 above compares arm and base " +
            "on the same problems.");
        yield return new ReportBlock.Table(["arm", "seeds", "first quarter", "last quarter", "change [95% interval]", "reading"],
            [.. rewards.Select(c =>
            {
                int quarter = Math.Max(2, c.Mean.Count / 4);
                var change = c.Change(quarter);
                return (IReadOnlyList<string>)[c.Arm, c.Seeds.ToString(CultureInfo.InvariantCulture), ReportFormat.Number(c.First(quarter)),
                    ReportFormat.Number(c.Last(quarter)), $"{ReportFormat.Signed(change.Mean)} {ReportFormat.SignedBounds(change)}",
                    ReportFormat.Side(change, "rose", "fell", "no detectable change")];
            })]);
    }
}
