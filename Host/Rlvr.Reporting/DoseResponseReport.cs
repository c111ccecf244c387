// The report of a study with several bases (StudyBases): how an arm's effect on the base it was trained from changes
// with the base. Each base's own study has its own report; this one puts them side by side on one band of held-out
// problems. For base b, arm a and seed s, d_bas = pass@k of the arm minus pass@k of its base on the band's problems
// (step-verified by default), the same paired seed-level difference as every verdict (SeedDifferences), at k = 1 and
// k = n', the smallest n of the pairs. All (base, arm, k) tests form one Holm family. Before that, each base against
// the reference base, paired by seed in the same way: what pretraining or architecture alone changed.
using System.Globalization;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Runs;
using Rlvr.Host.Statistics;
using Rlvr.Host.Studies;

namespace Rlvr.Reporting;

/// <summary>One base of a study with several bases: its name and its study as read from its folder.</summary>
public sealed record BaseStudy(string Base, StudyData Study);

/// <summary>Builds and writes the dose-response report of a study with several bases.</summary>
public static class DoseResponseReport
{
    public const string Figure = "dose-response.png";

    /// <summary>The report's blocks: the bases on the band, each arm's paired gain per base with its verdict, and the plot.</summary>
    public static IReadOnlyList<ReportBlock> Build(string name, IReadOnlyList<BaseStudy> bases, DoseResponseOptions options, double level = 0.95)
    {
        bool steps = options.Correct == DoseResponseOptions.StepVerified;
        var views = bases.Select(b => b with { Study = OnBand(steps ? StepVerifiedView.Of(b.Study) : b.Study, options) }).ToList();
        var arms = views.SelectMany(b => b.Study.TrainedArms).Distinct().Order(StringComparer.Ordinal).ToList();
        // One n for the whole report, the smallest of any pair, so that gains compare across bases.
        var pairsOf = (from b in views from arm in arms let pairs = b.Study.Pairs(arm)
                       where pairs.Count > 0 && pairs.All(p => p.Matched.Count > 0) select (b.Base, Arm: arm, Pairs: pairs)).ToList();
        int common = pairsOf.Count == 0 ? 0 : pairsOf.Min(g => g.Pairs.Min(p => p.Samples));
        var gains = pairsOf.Select(g =>
        {
            var (at1, atN) = AtOneAndN(g.Pairs, common, level);
            return new Gain(g.Base, g.Arm, Units(g.Pairs), at1, atN);
        }).ToList();
        var tested = TestedDifference.Family([.. gains.SelectMany(g => new[] { (g.Arm, "pass@1", g.At1), (g.Arm, "pass@n'", g.AtN) })]);
        string what = steps ? "step-verified pass@k (a sample counts when its answer is right and every written step verifies)" : "answer pass@k";

        var blocks = new List<ReportBlock>
        {
            new ReportBlock.Heading(1, $"Dose-response report: {name}"),
            new ReportBlock.Paragraph(
                $"A study of {bases.Count} bases ({string.Join(", ", bases.Select(b => b.Base))}), each pretrained as its entry under `Bases` says and then trained by " +
                $"every arm, seed by seed; each base's own report lies in its folder ({string.Join(", ", bases.Select(b => $"`{b.Base}/report.md`"))}). " +
                $"Here every arm's gain over the base it was trained from is measured on the held-out problems of {options.Band}, as {what}. " +
                $"Written {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC by Rlvr {SoftwareVersion.Current.Rlvr}. How every number is computed: docs/report.md."),
            new ReportBlock.Heading(2, "The bases on the band"),
            new ReportBlock.Paragraph("Each base's pass@1 and pass@n on the band's problems, n its own samples per problem: the mean over seeds, the range across seeds in parentheses."),
            new ReportBlock.Table(["base", "seeds", "problems on the band", "n", "pass@1", "pass@n"],
                [.. views.Select(b =>
                {
                    var runs = b.Study.Evaluated(RunPaths.BaseArm);
                    return (IReadOnlyList<string>)[b.Base, string.Join(", ", runs.Select(r => r.Seed)), string.Join(", ", runs.Select(r => r.Evaluation!.PerProblem.Count).Distinct()),
                        string.Join(", ", runs.Select(r => r.Evaluation!.Samples).Distinct()),
                        ReportContext.MeanOverSeeds([.. runs.Select(r => Mean(r.Evaluation!, 1))]),
                        ReportContext.MeanOverSeeds([.. runs.Select(r => Mean(r.Evaluation!, r.Evaluation!.Samples))])];
                })]),
        };
        string metric = steps ? "step-verified pass@n'" : "pass@n'";
        blocks.AddRange(AgainstReference(views, options.Reference, steps ? "step-verified pass@k" : "answer pass@k", level));
        blocks.AddRange(
        [
            new ReportBlock.Heading(2, "Each arm's gain, base by base"),
            new ReportBlock.Paragraph(
                "d_s = the arm's pass@k minus the pass@k of the base of the same seed, on the band's problems both evaluated, at k = 1 and at k = n' (the smallest n of " +
                "any pair in the study, so that the bases compare); then d̄ with its paired 95% t-interval over seeds, each seed's d_s, and the verdict: \"higher\" or \"lower\" when the paired t-test rejects " +
                $"d = 0 at 5% after Holm's correction over every (base, arm, k) of this table, with {Verdict.MinimumSeeds} seeds or more; otherwise \"no difference\"."),
            new ReportBlock.Table(["base", "arm", "n'", "pass@1 d̄ [95% CI]", "pass@n' d̄ [95% CI]", "pass@n' d_s by seed", "pass@1 verdict", "pass@n' verdict"],
                [.. gains.Select((g, i) => (IReadOnlyList<string>)[g.Base, g.Arm, common.ToString(CultureInfo.InvariantCulture), ReportFormat.Difference(g.At1), ReportFormat.Difference(g.AtN),
                    string.Join(" ", g.AtN.Differences.Select(d => ReportFormat.Signed(d))), tested[2 * i].Verdict, tested[2 * i + 1].Verdict])]),
        ]);
        if (gains.Count == 0) return blocks;
        var palette = new ArmPalette([RunPaths.BaseArm, .. arms]);
        var series = arms.Select(arm =>
        {
            var byBase = views.Select(b => gains.FirstOrDefault(g => g.Base == b.Base && g.Arm == arm)).ToList();
            return new ReportPlots.BarSeries(arm, [.. byBase.Select(g => g is null ? double.NaN : g.AtN.Mean)], _ => palette[arm],
                [.. byBase.Select(g => g is null ? (double.NaN, double.NaN) : (g.AtN.Lower, g.AtN.Upper))]);
        }).ToList();
        blocks.Add(new ReportBlock.Figure(Figure,
            $"Each arm's gain in {metric} over its base on {options.Band}, base by base: d̄ over seeds with its paired 95% t-interval (n' = {common}).",
            ReportPlots.GroupedBars($"Gain on {options.Band}: {name}", "base", $"{metric}: arm − base", [.. views.Select(b => b.Base)], series,
                [.. arms.Select(a => (a, palette[a]))])));
        blocks.AddRange(Steps(gains, views.Select(b => b.Base).ToList(), arms, metric, level));
        return blocks;
    }

    // Does the base itself differ? Base b and the reference base of seed s are pretrained from the same seed and
    // evaluated on the same held-out problems, so they pair by seed as an arm and its base do: d_s = b_s − reference_s,
    // at k = 1 and at the smallest n of the pairs; the rows are one Holm family of their own.
    private static IEnumerable<ReportBlock> AgainstReference(IReadOnlyList<BaseStudy> views, string? reference, string what, double level)
    {
        var first = string.IsNullOrEmpty(reference) ? views[0] : views.FirstOrDefault(b => string.Equals(b.Base, reference, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException($"{StudyBases.ReferenceKey} = '{reference}': no such base among {string.Join(", ", views.Select(b => b.Base))}");
        var referenceOf = first.Study.Evaluated(RunPaths.BaseArm).ToDictionary(r => r.Seed, r => r.Evaluation!);
        var compared = (from b in views
                        where b != first
                        let pairs = (IReadOnlyList<SeedPair>)[.. b.Study.Evaluated(RunPaths.BaseArm).Where(r => referenceOf.ContainsKey(r.Seed))
                            .Select(r => new SeedPair(r.Seed, referenceOf[r.Seed], r.Evaluation!))]
                        where pairs.Count > 0 && pairs.All(p => p.Matched.Count > 0)
                        select (b.Base, Pairs: pairs)).ToList();
        if (compared.Count == 0) yield break;
        int n = compared.Min(c => c.Pairs.Min(p => p.Samples));
        var rows = compared.Select(c =>
        {
            var (at1, atN) = AtOneAndN(c.Pairs, n, level);
            return (c.Base, Seeds: c.Pairs.Select(p => p.Seed).ToList(), At1: at1, AtN: atN);
        }).ToList();
        var tested = TestedDifference.Family([.. rows.SelectMany(r => new[] { (r.Base, "pass@1", r.At1), (r.Base, "pass@n", r.AtN) })]);
        yield return new ReportBlock.Heading(2, $"Each base against {first.Base}");
        yield return new ReportBlock.Paragraph(
            $"What the base alone changed, before any RL: d_s = the base's {what} minus that of the reference base `{first.Base}` of the same seed (pretrained " +
            $"from the same seed, evaluated on the same held-out problems of the band), at k = 1 and at k = {n} (the smallest n of the pairs); d̄ with its paired " +
            $"95% t-interval over seeds, each seed's d_s, and the verdict after Holm's correction over this table, with {Verdict.MinimumSeeds} seeds or more. " +
            $"`{StudyBases.ReferenceKey}` names the reference; by default it is the first base.");
        yield return new ReportBlock.Table(["base", "seeds", "pass@1 d̄ [95% CI]", $"pass@{n} d̄ [95% CI]", $"pass@{n} d_s by seed", "pass@1 verdict", $"pass@{n} verdict"],
            [.. rows.Select((r, i) => (IReadOnlyList<string>)[r.Base, string.Join(", ", r.Seeds), ReportFormat.Difference(r.At1), ReportFormat.Difference(r.AtN),
                string.Join(" ", r.AtN.Differences.Select(d => ReportFormat.Signed(d))), tested[2 * i].Verdict, tested[2 * i + 1].Verdict])]);
    }

    // The paired seed-level differences of the pairs at k = 1 and at k = n.
    private static (PairedDifference At1, PairedDifference AtN) AtOneAndN(IReadOnlyList<SeedPair> pairs, int n, double level)
    {
        var d = SeedDifferences.PassAtK(pairs, [1, n]);
        return (PairedDifference.Of(d[0], level), PairedDifference.Of(d[1], level));
    }

    // An arm's gain at one base: its seed-level paired differences, with the base seed each unit is (null where the
    // units are the RL seeds of a single base seed, which have no counterpart in another base).
    private sealed record Gain(string Base, string Arm, int[]? Seeds, PairedDifference At1, PairedDifference AtN);

    // The gain at n' of the unit that is base seed s.
    private static double At(Gain gain, int seed) => gain.AtN.Differences[Array.IndexOf(gain.Seeds!, seed)];

    private static int[]? Units(IReadOnlyList<SeedPair> pairs)
    {
        int[] seeds = [.. pairs.Select(p => p.Seed).Distinct()];
        return seeds.Length == 1 && pairs.Count > 1 ? null : seeds;
    }

    // Does the gain change from one base to the next? The bases of seed s are pretrained from the same seed and
    // evaluated on the same held-out problems, so the gains pair by seed: e_s = d_s(next base) − d_s(this base), and
    // the same paired statistic decides whether e differs from 0; every (arm, step) of the table is one Holm family.
    private static IEnumerable<ReportBlock> Steps(IReadOnlyList<Gain> gains, IReadOnlyList<string> bases, IReadOnlyList<string> arms, string metric, double level)
    {
        var steps = (from arm in arms
                     from i in Enumerable.Range(0, Math.Max(0, bases.Count - 1))
                     let here = gains.FirstOrDefault(g => g.Arm == arm && g.Base == bases[i])
                     let next = gains.FirstOrDefault(g => g.Arm == arm && g.Base == bases[i + 1])
                     where here?.Seeds is not null && next?.Seeds is not null
                     let seeds = here.Seeds!.Intersect(next.Seeds!).ToList()
                     where seeds.Count > 0
                     select (Arm: arm, From: here.Base, To: next.Base, Seeds: seeds, Change: PairedDifference.Of(
                         [.. seeds.Select(s => At(next, s) - At(here, s))], level))).ToList();
        if (steps.Count == 0) yield break;
        var tested = TestedDifference.Family([.. steps.Select(s => (s.Arm, "step", s.Change))]);
        yield return new ReportBlock.Heading(2, "From one base to the next");
        yield return new ReportBlock.Paragraph(
            $"Whether an arm's gain in {metric} changes between consecutive bases: for each seed both bases share, e_s = the gain at the next base minus the " +
            "gain at this one (each gain the arm against its own base of that seed), then ē with its paired 95% t-interval and the verdict, Holm's correction " +
            "taken over every row: \"higher\" when the gain grows from one base to the next.");
        yield return new ReportBlock.Table(["arm", "from", "to", "seeds", "ē [95% CI]", "e_s by seed", "verdict"],
            [.. steps.Select((s, i) => (IReadOnlyList<string>)[s.Arm, s.From, s.To, string.Join(", ", s.Seeds), ReportFormat.Difference(s.Change),
                string.Join(" ", s.Change.Differences.Select(d => ReportFormat.Signed(d))), tested[i].Verdict])]);
    }

    /// <summary>Writes the report into <paramref name="folder"/>, the folder that holds every base's folder.</summary>
    /// <returns>The paths of report.md and report.html.</returns>
    public static (string Markdown, string Html) Write(string folder, IReadOnlyList<BaseStudy> bases, DoseResponseOptions options) =>
        StudyReport.Write(folder, $"Dose-response report: {Path.GetFileName(folder)}", Build(Path.GetFileName(folder), bases, options));

    // The study with every evaluation cut down to the band's problems.
    private static StudyData OnBand(StudyData study, DoseResponseOptions options) =>
        study with { Runs = [.. study.Runs.Select(r => r with { Evaluation = r.Evaluation is { } e ? e with { PerProblem = [.. e.PerProblem.Where(p => options.Contains(p.Difficulty))] } : null })] };

    // pass@k over an evaluation's problems, each by the unbiased estimator at its own counts.
    private static double Mean(EvaluationResult e, int k) =>
        e.PerProblem.Count == 0 ? double.NaN : e.PerProblem.Average(p => PassAtK.Estimate(p.Samples, p.Correct, k));
}
