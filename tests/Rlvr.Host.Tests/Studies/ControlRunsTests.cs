using System.Text.Json;
using System.Text.Json.Nodes;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Studies;

/// <summary>
/// The controls a study runs: the base's replicate evaluation (Evaluation:NoiseFloor), part of the evaluation stage,
/// sealed, verified on reuse and computed when missing; and the zero-reward control arm (Train:Control).
/// </summary>
public sealed class ControlRunsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-noise-floor-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string StudyLog() => string.Join("\n", Directory.GetFiles(Path.Combine(_root, "study", "logs"), "*.log").Select(File.ReadAllText));

    // The per-problem counts of an evaluation file, answers sampled included: what a rerun must reproduce (its samples per second differ).
    private static List<string> Counts(string path) =>
        [.. JsonSerializer.Deserialize<EvaluationResult>(File.ReadAllText(path))!.PerProblem.Select(p =>
            $"{p.Id} {p.Correct} " + string.Join(",", (p.AnswerCounts ?? new Dictionary<string, int>()).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}:{a.Value}")))];

    private static JsonObject Files(string runFolder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(runFolder, PipelineRunner.BaseFile)))!["Evaluation"]!["Files"]!.AsObject();

    [Fact]
    public void TheBaseIsEvaluatedTwiceAndADamagedReplicateIsEvaluatedAgainFromTheVerifiedModel()
    {
        var first = TinyStudy.Run(TinyStudy.Overrides(_root)).Seeds.Single().Base;
        string replicatePath = Path.Combine(first.RunFolder, PipelineRunner.ReplicateFile), evaluationPath = Path.Combine(first.RunFolder, RunPaths.EvaluationFile);
        var replicate = JsonSerializer.Deserialize<EvaluationResult>(File.ReadAllText(replicatePath))!;
        Assert.Equal(first.Evaluation.PerProblem.Select(p => p.Id), replicate.PerProblem.Select(p => p.Id));   // the same problems
        Assert.Equal([RunPaths.EvaluationFile, PipelineRunner.ReplicateFile], Files(first.RunFolder).Select(f => f.Key).Order(StringComparer.Ordinal));
        var replicateCounts = Counts(replicatePath);
        var evaluationCounts = Counts(evaluationPath);
        Assert.NotEqual(evaluationCounts, replicateCounts);                           // another sampling seed
        File.WriteAllText(replicatePath, File.ReadAllText(replicatePath).Replace("\"Samples\": 4", "\"Samples\": 5"));
        var stages = new List<string>();

        TinyStudy.Run(TinyStudy.Overrides(_root), p => stages.Add(p.Stage));

        Assert.DoesNotContain("pretrain", stages);                                   // the model verified: evaluated again only
        Assert.Equal(replicateCounts, Counts(replicatePath));                         // to the same numbers: same model, same seeds
        Assert.Equal(evaluationCounts, Counts(evaluationPath));
        Assert.Contains($"{JsonEncodedText.Encode(replicatePath)} does not match its recorded size and SHA-256", StudyLog());
    }

    [Fact]
    public void ABaseEvaluatedBeforeTheNoiseFloorGetsItsReplicateWithoutPretrainingAgain()
    {
        var first = TinyStudy.Run(TinyStudy.Overrides(_root)).Seeds.Single().Base;
        string replicatePath = Path.Combine(first.RunFolder, PipelineRunner.ReplicateFile);
        var replicateCounts = Counts(replicatePath);
        // As an older version left it: no replicate, and a record that seals evaluation.json alone.
        File.Delete(replicatePath);
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(first.RunFolder, PipelineRunner.BaseFile)))!;
        record["Evaluation"]!["Files"]!.AsObject().Remove(PipelineRunner.ReplicateFile);
        File.WriteAllText(Path.Combine(first.RunFolder, PipelineRunner.BaseFile), record.ToJsonString());
        var stages = new List<string>();

        TinyStudy.Run(TinyStudy.Overrides(_root), p => stages.Add(p.Stage));

        Assert.DoesNotContain("pretrain", stages);
        Assert.Equal(replicateCounts, Counts(replicatePath));
        Assert.Contains(PipelineRunner.ReplicateFile, Files(first.RunFolder).Select(f => f.Key));

        // Switched off, the study needs no replicate (its evaluation settings changed, so the base is evaluated again).
        var off = TinyStudy.Run([.. TinyStudy.Overrides(_root), "--Evaluation:NoiseFloor=false"]).Seeds.Single().Base;
        Assert.Equal([RunPaths.EvaluationFile], Files(off.RunFolder).Select(f => f.Key));
    }

    [Fact]
    public void AZeroRewardControlWeighsEveryRewardZeroWhereTheArmWouldWeighItAsConfigured()
    {
        var rollout = new Rlvr.Host.Training.RolloutOptions { RewardWeights = { ["strict"] = 0.5 } };
        var arm = new Rlvr.Host.Training.TrainOptions();
        var control = new Rlvr.Host.Training.TrainOptions { Control = Rlvr.Host.Training.TrainOptions.ZeroReward };
        Assert.Equal([0.5, 1.0], new[] { "strict", "terminal" }.Select(r => ArmRunner.RewardWeight(r, arm, rollout)));
        Assert.Equal([0.0, 0.0], new[] { "strict", "terminal" }.Select(r => ArmRunner.RewardWeight(r, control, rollout)));
    }

    [Fact]
    public void ABadControlValueIsRefusedNamingTheKey()
    {
        var e = Assert.ThrowsAny<Exception>(() => TinyStudy.Run(TinyStudy.WithGrpoArm(_root, "--Arms:grpo:Train:Control=zero-lr")));
        Assert.Contains("Train:Control", e.Message);
    }

    [Fact]
    public void AZeroRewardControlArmSamplesAndTrainsWithEveryRewardScoredZeroAndTheReportMarksIt()
    {
        var seed = TinyStudy.Run(TinyStudy.WithGrpoArm(_root, "--Arms:control:Components:Algorithm=grpo", "--Arms:control:Train:Control=zero-reward")).Seeds.Single();
        static List<double> Rewards(string runFolder) =>
            [.. File.ReadLines(Path.Combine(runFolder, RunPaths.MetricsFile)).Select(l => JsonNode.Parse(l)!)
                .Where(r => r["stage"]!.GetValue<string>() == "train").Select(r => r["reward_mean"]!.GetValue<double>())];
        var grpo = Rewards(seed.Arms.Single(a => a.Arm == "grpo").RunFolder);   // (the tiny model rarely solves anything: see the test above for the weights)
        var control = Rewards(seed.Arms.Single(a => a.Arm == "control").RunFolder);
        Assert.Equal(grpo.Count, control.Count);                     // the control ran every step
        Assert.All(control, r => Assert.Equal(0.0, r));

        var study = Rlvr.Reporting.StudyLoader.Load(Path.Combine(_root, "study"));
        Assert.True(Rlvr.Reporting.ControlsSection.IsControl(study, "control"));
        Assert.False(Rlvr.Reporting.ControlsSection.IsControl(study, "grpo"));
    }
}
