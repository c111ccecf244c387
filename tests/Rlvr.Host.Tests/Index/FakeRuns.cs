using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Runs;

namespace Rlvr.Host.Tests.Index;

/// <summary>A temporary runs folder whose run folders are written by hand, laid out and formatted as the runners write them.</summary>
internal sealed class FakeRuns : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("rlvr-runs-").FullName;

    /// <summary>
    /// Study "s": base seed 1 evaluated, without status.json; grpo seeds 1-3 finished and seed 4 running; sft seed 1 failed.
    /// Study "t": base seed 1 with only its config. The numbers:
    /// <code>
    ///            pass@1 (lower, upper)   pass@8               coverage   last train reward_mean
    /// base  1    0.25 (0.20, 0.30)       0.70 (0.60, 0.80)    0.90       -
    /// grpo  1    0.10 (0.05, 0.15)       0.50 (0.40, 0.60)    0.80       0.30
    /// grpo  2    0.20 (0.15, 0.25)       0.60 (0.50, 0.70)    0.90       0.30
    /// grpo  3    0.60 (0.55, 0.65)       0.70 (0.60, 0.80)    1.00       0.30
    /// </code>
    /// </summary>
    public static FakeRuns Study()
    {
        var runs = new FakeRuns();
        runs.Config("s", "base", 1);
        runs.Metrics("s", "base", 1, """{"stage":"pretrain","step":1,"time":1795671420.5,"loss":2.5,"lr":0.001}""",
                                     """{"stage":"pretrain","step":2,"time":1795671421.5,"loss":1.5,"lr":"NaN"}""");
        runs.Evaluation("s", "base", 1, 0.9, (1, 0.25, 0.20, 0.30), (8, 0.70, 0.60, 0.80));
        double[] pass1 = [0.1, 0.2, 0.6], pass8 = [0.5, 0.6, 0.7], coverage = [0.8, 0.9, 1.0];
        for (int seed = 1; seed <= 3; seed++)
        {
            runs.Config("s", "grpo", seed);
            runs.Status("s", "grpo", seed, "done", "finished");
            runs.Metrics("s", "grpo", seed, """{"stage":"train","step":1,"time":1795677184.6,"reward_mean":0.1,"reward/terminal":0.1}""",
                                            """{"stage":"train","step":2,"time":1795677185.8,"reward_mean":0.3,"reward/terminal":0.3}""",
                                            """{"stage":"eval","step":1,"time":1795677438.9,"pass@1":0.5,"coverage":0.5}""");
            var (p1, p8) = (pass1[seed - 1], pass8[seed - 1]);
            runs.Evaluation("s", "grpo", seed, coverage[seed - 1], (1, p1, p1 - 0.05, p1 + 0.05), (8, p8, p8 - 0.1, p8 + 0.1));
        }
        runs.Config("s", "grpo", 4);
        runs.Status("s", "grpo", 4, "train", "running");
        runs.Lock("s", "grpo", 4);
        runs.Metrics("s", "grpo", 4, """{"stage":"train","step":1,"time":1795677184.6,"reward_mean":0.2}""");
        runs.Config("s", "sft", 1);
        runs.Status("s", "sft", 1, "train", "failed", "out of memory");
        runs.Config("t", "base", 1);
        return runs;
    }

    public string Folder(string study, string arm, int seed) => Directory.CreateDirectory(Path.Combine(Root, study, arm, $"seed-{seed}")).FullName;

    public string Write(string study, string arm, int seed, string file, string text)
    {
        string path = Path.Combine(Folder(study, arm, seed), file);
        File.WriteAllText(path, text);
        return path;
    }

    public void Config(string study, string arm, int seed) => Write(study, arm, seed, "config.json", $$"""
        {
          "Run": { "Name": "{{study}}", "Seed": "{{seed}}" },
          "Components": { "Algorithm": "{{arm}}" }
        }
        """);

    public void Status(string study, string arm, int seed, string stage, string status, string? error = null) =>
        Write(study, arm, seed, "status.json", $$"""
            {"Study":"{{study}}","Arm":"{{arm}}","Seed":{{seed}},"Stage":"{{stage}}","Status":"{{status}}","Started":"2026-11-26T08:00:00Z",
             "Updated":"2026-11-26T09:30:00Z","Error":{{(error is null ? "null" : $"\"{error}\"")}},"ConfigHash":"abc123"}
            """);

    public void Metrics(string study, string arm, int seed, params string[] lines) =>
        Write(study, arm, seed, "metrics.jsonl", string.Join("\n", lines) + "\n");

    /// <summary>evaluation.json with pass@k rows by answer (Mean, Lower, Upper); step-verified pass@k is half of each.</summary>
    public void Evaluation(string study, string arm, int seed, double coverage, params (int K, double Mean, double Lower, double Upper)[] rows)
    {
        string Interval(double mean, double lower, double upper) =>
            string.Create(CultureInfo.InvariantCulture, $$"""{ "Mean": {{mean}}, "Lower": {{lower}}, "Upper": {{upper}} }""");
        string passAtK = string.Join(",\n    ", rows.Select(r =>
            $$"""{ "K": {{r.K}}, "Answer": {{Interval(r.Mean, r.Lower, r.Upper)}}, "StepVerified": {{Interval(r.Mean / 2, r.Lower / 2, r.Upper / 2)}} }"""));
        Write(study, arm, seed, "evaluation.json", string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "Problems": 4,
              "Samples": {{rows.Max(r => r.K)}},
              "Coverage": {{coverage}},
              "AnswerAccuracy": {{rows[0].Mean}},
              "StepVerifiedAccuracy": {{rows[0].Mean / 2}},
              "VerifierErrors": 0,
              "SamplesPerSecond": 100.5,
              "PassAtK": [
                {{passAtK}}
              ],
              "PerProblem": [
                { "Id": "p1", "Difficulty": 1, "Prompt": "1+1=", "Answer": "2", "Samples": 8, "Correct": 2, "StepVerified": 1, "CorrectCompletions": { "2": 2 } }
              ]
            }
            """));
    }

    /// <summary>Takes the run's lock until disposal, as the process computing it holds it; a running status without it reads as killed.</summary>
    public void Lock(string study, string arm, int seed) => _locks.Add(RunLock.Acquire(Folder(study, arm, seed), NullLogger.Instance));

    private readonly List<RunLock> _locks = [];

    public void Dispose()
    {
        foreach (var held in _locks) held.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
