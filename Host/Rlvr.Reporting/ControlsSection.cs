// Section 3c: the controls an arm's change is read against. The noise floor is the base evaluated a second time with
// another sampling seed (evaluation.replicate.json): the same model, so every difference between the two evaluations
// is sampling noise, and an arm's gained and lost problems, kept paths and pass@k change mean something only beyond it.
using System.Globalization;
using Rlvr.Host.Statistics;

namespace Rlvr.Reporting;

internal static class ControlsSection
{
    public const string NoiseFloorRow = "base against its replicate (noise floor)";

    public static IEnumerable<ReportBlock> Build(ReportContext context) => context.Comparison("3c. Controls: the noise floor", arms => Body(context, arms));

    private static IEnumerable<ReportBlock> Body(ReportContext context, IReadOnlyList<string> arms)
    {
        int level = context.ConfidencePercent;
        var floor = context.Study.NoiseFloorPairs();
        var bases = context.Study.Evaluated(ReportContext.Base).Select(r => r.Seed).ToList();
        var missing = bases.Except(floor.Select(p => p.Seed)).ToList();
        yield return new ReportBlock.Paragraph(
            "Each base is evaluated a second time, with another sampling seed, on the same problems (evaluation.replicate.json, Evaluation:NoiseFloor). " +
            "The model is the same, so whatever separates the two evaluations is sampling noise: problems \"gained\" and \"lost\", base paths not sampled " +
            "again, pass@k moving. That row is the reference an arm's row must exceed. An arm marked as a no-learning control ran its whole pipeline " +
            "with every reward scored 0 (Train:Control=zero-reward): what it moved came from all but the reward signal, the second reference. " +
            "Each row is taken per seed, then over seeds: the pass@k changes " +
            $"with their {level}% seed-level paired interval, the counts and shares as mean and range." +
            (missing.Count == 0 ? ""
                : floor.Count == 0 ? " **This study has no replicate evaluation of its base** (run before the noise floor existed, or with Evaluation:NoiseFloor=false): its arms' changes have no base-against-base reference."
                : $" The replicate is missing for seed {string.Join(", ", missing)}: the noise floor is over the other seeds."));
        var rows = floor.Count == 0 ? [] : new List<(string Name, IReadOnlyList<SeedPair> Pairs)> { (NoiseFloorRow, floor) };
        rows.AddRange(arms.Select(arm => ($"{arm} against base{(IsControl(context.Study, arm) ? " (no-learning control: zero reward)" : "")}", context.Study.Pairs(arm))));
        yield return new ReportBlock.Table(["compared", "seeds", "n'", "pass@1 change", "pass@n' change", "gained", "lost", "share of base paths kept"],
            [.. rows.Select(row => Row(row.Name, row.Pairs, context.Confidence))]);
    }

    /// <summary>Whether the arm ran as a no-learning control (Train:Control=zero-reward in its config.json).</summary>
    public static bool IsControl(StudyData study, string arm) =>
        study.Evaluated(arm).Any(r => r.Config?["Train"]?["Control"]?.ToString() == Host.Training.TrainOptions.ZeroReward);

    private static IReadOnlyList<string> Row(string name, IReadOnlyList<SeedPair> pairs, double confidence)
    {
        var difference = Crossover.Of(name, pairs, confidence).Difference;
        // Per unit of inference: a seed's RL seeds averaged (SeedUnits).
        int[] seeds = [.. pairs.Select(p => p.Seed)];
        var coverage = pairs.Select(CoverageChange.Of).ToList();
        var kept = SeedUnits.Means(seeds, [.. pairs.Select(p => SupportAnalysis.Of(p).Total is { BasePaths: > 0 } c ? c.Preserved / c.BasePaths : double.NaN)])
            .Where(v => !double.IsNaN(v)).ToList();
        return [name, difference[0].Seeds.ToString(CultureInfo.InvariantCulture), pairs.Min(p => p.Samples).ToString(CultureInfo.InvariantCulture),
            ReportFormat.Difference(difference[0]), ReportFormat.Difference(difference[^1]),
            ReportContext.MeanOverSeeds(SeedUnits.Means(seeds, [.. coverage.Select(c => c.Gained)]), decimals: 1),
            ReportContext.MeanOverSeeds(SeedUnits.Means(seeds, [.. coverage.Select(c => c.Lost)]), decimals: 1),
            kept.Count == 0 ? "–" : ReportContext.MeanOverSeeds(kept)];
    }
}
