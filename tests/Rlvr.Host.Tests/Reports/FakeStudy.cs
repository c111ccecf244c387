// A study folder written the way the runners write one: <arm>/seed-<n>/ with evaluation.json, metrics.jsonl and config.json.
using System.Text.Json;
using Rlvr.Host.Evaluation;

namespace Rlvr.Host.Tests.Reports;

internal sealed class FakeStudy : IDisposable
{
    public string Folder { get; } = Path.Combine(Directory.CreateTempSubdirectory("rlvr-report-").FullName, "fake-study");

    public FakeStudy Run(string arm, int seed, EvaluationResult evaluation, string config = "{}", params string[] metrics)
    {
        string folder = Path.Combine(Folder, arm, $"seed-{seed}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "evaluation.json"), JsonSerializer.Serialize(evaluation));
        File.WriteAllText(Path.Combine(folder, "config.json"), config);
        File.WriteAllLines(Path.Combine(folder, "metrics.jsonl"), metrics);
        return this;
    }

    /// <summary>Writes a base seed's second evaluation, evaluation.replicate.json.</summary>
    public FakeStudy Replicate(int seed, EvaluationResult replicate)
    {
        File.WriteAllText(Path.Combine(Folder, "base", $"seed-{seed}", "evaluation.replicate.json"), JsonSerializer.Serialize(replicate));
        return this;
    }

    /// <summary>A metrics.jsonl line of stage "train".</summary>
    public static string Train(int step, double reward, double entropy) =>
        $$"""{"stage":"train","step":{{step}},"time":1.5,"reward_mean":{{reward}},"entropy":{{entropy}},"zero_std_groups":"NaN"}""";

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Folder)!, recursive: true);
}
