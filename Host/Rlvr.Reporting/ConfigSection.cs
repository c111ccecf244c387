// Section 9: the exact configuration (the base's config.json whole, each arm's differences from its base) and the
// software that wrote the report.
using System.Text.Json.Nodes;
using Rlvr.Host.Runs;

namespace Rlvr.Reporting;

internal static class ConfigSection
{
    public static IEnumerable<ReportBlock> Build(ReportContext context)
    {
        var study = context.Study;
        var v = SoftwareVersion.Current;
        yield return new ReportBlock.Heading(2, "9. Configuration and software");
        yield return new ReportBlock.Paragraph($"Report written by {Describe(v)}.");
        foreach (var block in RunSoftware(study)) yield return block;
        var baseRun = study.Runs.Where(r => r.Arm == ReportContext.Base && r.Config is not null).OrderBy(r => r.Seed).FirstOrDefault();
        if (baseRun is null)
        {
            yield return new ReportBlock.Paragraph("No base run has a config.json.");
            yield break;
        }
        yield return new ReportBlock.Paragraph("The configuration below is what each run used (its config.json).");
        yield return new ReportBlock.Heading(3, $"Base configuration (base/seed-{baseRun.Seed}/config.json)");
        yield return new ReportBlock.Paragraph($"Run:{nameof(RunOptions.RunRoot)} is left out: it says where the runs were written, not what they computed.");
        yield return new ReportBlock.Code(WithoutRunRoot(baseRun.Config!).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), "json");
        yield return new ReportBlock.Heading(3, "Each arm against the base");
        yield return new ReportBlock.Paragraph(
            "Keys whose values differ from the base of the same seed (the Arms section left out: an arm's own entry is already laid over its keys). " +
            "A dash is a key the run does not set.");
        foreach (string arm in study.TrainedArms)
        {
            var run = study.Runs.Where(r => r.Arm == arm && r.Config is not null).OrderBy(r => r.Seed).ThenBy(r => r.RlSeed).FirstOrDefault();
            var againstBase = study.Runs.FirstOrDefault(r => r.Arm == ReportContext.Base && r.Seed == run?.Seed && r.Config is not null) ?? baseRun;
            yield return new ReportBlock.Paragraph($"**{arm}**" + (run is null ? ": no config.json." : $" (seed {run.Seed}{(run.RlSeed is int rl ? $" RL seed {rl}" : "")} against base seed {againstBase.Seed})"));
            if (run is null) continue;
            var diff = ConfigDiff.Diff(againstBase.Config, run.Config);
            yield return diff.Count == 0
                ? new ReportBlock.Paragraph("Same configuration as the base.")
                : new ReportBlock.Table(["key", "base", arm], [.. diff.Select(d => (IReadOnlyList<string>)[$"`{d.Key}`", d.Base ?? "–", d.Arm ?? "–"])]);
        }
    }

    private static string Describe(SoftwareVersion v) =>
        $"Rlvr {v.Rlvr} (git commit {v.Commit ?? "not recorded by this build"}), TorchSharp {v.TorchSharp}, {v.Runtime}, {v.OperatingSystem}";

    // The software each run's status.json records as having trained and evaluated it, one row per distinct version.
    private static IEnumerable<ReportBlock> RunSoftware(StudyData study)
    {
        var versions = study.Runs.Where(r => r.Status?.Software is not null).GroupBy(r => r.Status!.Software!).ToList();
        var unrecorded = study.Runs.Where(r => r.Status?.Software is null).Select(r => r.Name).ToList();
        if (versions.Count > 0)
            yield return new ReportBlock.Table(["runs computed by (status.json)", "runs"],
                [.. versions.Select(g => (IReadOnlyList<string>)[Describe(g.Key), g.Count() == study.Runs.Count ? "all" : string.Join(", ", g.Select(r => r.Name))])]);
        if (unrecorded.Count > 0)
            yield return new ReportBlock.Paragraph($"No status.json with the software that computed it: {string.Join(", ", unrecorded)}.");
    }


    // The run root is a path of the machine that ran the study; the fingerprint ignores it, and so does the report.
    private static JsonObject WithoutRunRoot(JsonObject config)
    {
        var copy = (JsonObject)config.DeepClone();
        (copy[RunOptions.Section] as JsonObject)?.Remove(nameof(RunOptions.RunRoot));
        return copy;
    }
}
