// Section 9: the exact configuration (the base's config.json whole, each arm's differences from its base) and the
// software that wrote the report.
using System.Text.Json.Nodes;
using Rlvr.Host.Runs;

namespace Rlvr.Host.Reports;

internal static class ConfigSection
{
    public static IEnumerable<ReportBlock> Build(ReportContext context)
    {
        var study = context.Study;
        var v = SoftwareVersion.Current;
        yield return new ReportBlock.Heading(2, "9. Configuration and software");
        yield return new ReportBlock.Paragraph(
            $"Report written by Rlvr {v.Rlvr} (git commit {v.Commit ?? "not recorded by this build"}), TorchSharp {v.TorchSharp}, {v.Runtime}, {v.OperatingSystem}. " +
            "The run folders do not record the version that trained and evaluated them; the configuration below is what each run used (its config.json).");
        var baseRun = study.Runs.Where(r => r.Arm == ReportContext.Base && r.Config is not null).OrderBy(r => r.Seed).FirstOrDefault();
        if (baseRun is null)
        {
            yield return new ReportBlock.Paragraph("No base run has a config.json.");
            yield break;
        }
        yield return new ReportBlock.Heading(3, $"Base configuration (base/seed-{baseRun.Seed}/config.json)");
        yield return new ReportBlock.Paragraph($"Run:{nameof(RunOptions.RunRoot)} is left out: it says where the runs were written, not what they computed.");
        yield return new ReportBlock.Code(WithoutRunRoot(baseRun.Config!).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), "json");
        yield return new ReportBlock.Heading(3, "Each arm against the base");
        yield return new ReportBlock.Paragraph(
            "Keys whose values differ from the base of the same seed (the Arms section left out: an arm's own entry is already laid over its keys). " +
            "A dash is a key the run does not set.");
        foreach (string arm in study.TrainedArms)
        {
            var run = study.Runs.Where(r => r.Arm == arm && r.Config is not null).OrderBy(r => r.Seed).FirstOrDefault();
            var againstBase = study.Runs.FirstOrDefault(r => r.Arm == ReportContext.Base && r.Seed == run?.Seed && r.Config is not null) ?? baseRun;
            yield return new ReportBlock.Paragraph($"**{arm}**" + (run is null ? ": no config.json." : $" (seed {run.Seed} against base seed {againstBase.Seed})"));
            if (run is null) continue;
            var diff = ConfigDiff.Diff(againstBase.Config, run.Config);
            yield return diff.Count == 0
                ? new ReportBlock.Paragraph("Same configuration as the base.")
                : new ReportBlock.Table(["key", "base", arm], [.. diff.Select(d => (IReadOnlyList<string>)[$"`{d.Key}`", d.Base ?? "–", d.Arm ?? "–"])]);
        }
    }

    // The run root is a path of the machine that ran the study; the fingerprint ignores it, and so does the report.
    private static JsonObject WithoutRunRoot(JsonObject config)
    {
        var copy = (JsonObject)config.DeepClone();
        (copy[RunOptions.Section] as JsonObject)?.Remove(nameof(RunOptions.RunRoot));
        return copy;
    }
}
