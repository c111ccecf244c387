// A study folder written the way the runners write one: <arm>/seed-<n>/ with evaluation.json, metrics.jsonl and config.json.
using System.Text.Json;
using Rlvr.Host.Evaluation;

namespace Rlvr.Host.Tests.Reports;

internal sealed class FakeStudy : IDisposable
{
    public string Folder { get; } = Path.Combine(Directory.CreateTempSubdirectory("rlvr-report-").FullName, "fake-study");

    public FakeStudy Run(string arm, int seed, EvaluationResult evaluation, string config = "{}", params string[] metrics) =>
        Write(Path.Combine(Folder, arm, $"seed-{seed}"), evaluation, config, metrics);

    /// <summary>An arm's run under an RL seed: <c>&lt;arm&gt;/seed-&lt;n&gt;-rl-&lt;r&gt;/</c>.</summary>
    public FakeStudy RlRun(string arm, int seed, int rlSeed, EvaluationResult evaluation) =>
        Write(Path.Combine(Folder, arm, $"seed-{seed}-rl-{rlSeed}"), evaluation, "{}", []);

    private FakeStudy Write(string folder, EvaluationResult evaluation, string config, string[] metrics)
    {
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
