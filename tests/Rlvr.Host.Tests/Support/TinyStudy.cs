using System.Text.Json;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;

namespace Rlvr.Host.Tests.Support;

/// <summary>The smallest study that still exercises every stage: what the study, resume and scale-out tests run.</summary>
internal static class TinyStudy
{
    /// <summary>A 1-layer, 32-wide transformer on two-term sums, a few thousand tokens of pretraining, 6 held-out problems × 4.</summary>
    public static string[] Overrides(string runRoot, int tokens = 10_000) =>
    [
        "--Components:Model=transformer", "--Components:Tokenizer=char", "--Components:Task=arithmetic", "--Components:Verifier=arithmetic",
        "--Models:Transformer:Layers=1", "--Models:Transformer:Width=32", "--Models:Transformer:Heads=2", "--Models:Transformer:ContextLength=32",
        "--Tasks:Arithmetic:MaxDifficulty=2", "--Tasks:Arithmetic:MaxOperand=9", $"--Pretrain:TokenBudget={tokens}", "--Pretrain:BatchSize=8",
        "--Evaluation:Problems=6", "--Evaluation:Samples=4", $"--Run:RunRoot={runRoot}",
        "--Algorithms:Grpo:PromptsPerStep=2", "--Algorithms:Grpo:GroupSize=4",
    ];

    /// <summary>The tiny study with one GRPO arm of 6 steps, checkpointed every 2: what the resume and reuse tests run.</summary>
    public static string[] WithGrpoArm(string runRoot, params string[] more) =>
    [
        .. Overrides(runRoot, tokens: 20_000), "--Train:Steps=6", "--Train:CheckpointEvery=2",
        "--Algorithms:Grpo:Epochs=2", "--Algorithms:Grpo:MiniBatches=2", "--Arms:grpo:Components:Algorithm=grpo",
        .. more,
    ];

    /// <summary>
    /// Replaces the base's model.bin of <paramref name="runFolder"/> with <paramref name="text"/> and records its seal in
    /// base.json, as if pretraining had written it: a model that verifies but cannot be loaded, so whatever starts from it fails.
    /// </summary>
    public static void ReplaceBaseModel(string runFolder, string text)
    {
        string model = Path.Combine(runFolder, RunPaths.ModelFile), record = Path.Combine(runFolder, PipelineRunner.BaseFile);
        File.WriteAllText(model, text);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(record))!;
        json["Model"]!["Files"]![RunPaths.ModelFile] = FileSeal.Of(model);
        File.WriteAllText(record, json.ToJsonString());
    }

    /// <summary>Runs the study of <paramref name="overrides"/> in process, its log in the study folder's logs/; <paramref name="onStep"/> sees every step of every stage.</summary>
    public static StudyResult Run(string[] overrides, Action<StageProgress>? onStep = null, CancellationToken cancellation = default)
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = overrides, LogToStudyFolder = true });
        if (onStep is not null) builder.Progress.Stepped += onStep;
        using var host = builder.Build();
        return new StudyRunner(builder).Run(host, cancellation);
    }

    /// <summary>Every record of <paramref name="stage"/> in a run folder's metrics.jsonl, the clocks left out, one string a record.</summary>
    public static List<string> Metrics(string runFolder, string stage) =>
        [.. File.ReadLines(Path.Combine(runFolder, RunPaths.MetricsFile))
            .Select(line => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!)
            .Where(r => r["stage"].GetString() == stage)
            .Select(r => string.Join(",", r.Where(p => !IsClock(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")))];

    /// <summary>Every train record of a run folder's metrics.jsonl, the clocks left out (they differ from run to run), one string a record.</summary>
    public static List<string> TrainMetrics(string runFolder) => Metrics(runFolder, "train");

    /// <summary>Everything an evaluation says per problem (counts, answers, kept wrong completions with their steps), one string a problem.</summary>
    /// <summary>The config.json the base run of a one-seed study wrote.</summary>
    public static string BaseConfig(StudyResult study) => File.ReadAllText(Path.Combine(study.Seeds.Single().Base.RunFolder, RunPaths.ConfigFile));

    public static List<string> Results(EvaluationResult evaluation) => [.. evaluation.PerProblem.Select(p => JsonSerializer.Serialize(p))];

    /// <summary>
    /// Asserts that a tiny study with one arm pretrained (lowering the loss), evaluated and trained its base, and
    /// that running it again from the same seed gave the same numbers.
    /// </summary>
    public static void AssertTrainsAndRepeats(StudyResult firstStudy, StudyResult secondStudy)
    {
        var (first, second) = (firstStudy.Seeds.Single(), secondStudy.Seeds.Single());
        Assert.True(first.Base.Pretraining.Steps > 0);
        Assert.True(first.Base.Pretraining.FinalLoss < first.Base.Pretraining.FirstLoss, "pretraining did not lower the loss");
        Assert.Equal(6, first.Base.Evaluation.PerProblem.Count);
        var arm = first.Arms.Single();
        Assert.Equal(6, arm.Evaluation.PerProblem.Count);

        Assert.Equal(Metrics(first.Base.RunFolder, "pretrain"), Metrics(second.Base.RunFolder, "pretrain"));
        Assert.Equal(Results(first.Base.Evaluation), Results(second.Base.Evaluation));
        Assert.Equal(TrainMetrics(arm.RunFolder), TrainMetrics(second.Arms.Single().RunFolder));
        Assert.Equal(Results(arm.Evaluation), Results(second.Arms.Single().Evaluation));
    }

    private static bool IsClock(string key) => key == "time" || key.EndsWith("_s", StringComparison.Ordinal) || key == "tokens_per_s";
}
