using System.Text.Json;
using System.Text.Json.Nodes;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Studies;

/// <summary>The base's replicate evaluation (Evaluation:NoiseFloor): part of the evaluation stage, sealed, verified on reuse and computed when missing.</summary>
public sealed class NoiseFloorTests : IDisposable
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
        string replicatePath = Path.Combine(first.RunFolder, PipelineRunner.ReplicateFile), evaluationPath = Path.Combine(first.RunFolder, PipelineRunner.EvaluationFile);
        var replicate = JsonSerializer.Deserialize<EvaluationResult>(File.ReadAllText(replicatePath))!;
        Assert.Equal(first.Evaluation.PerProblem.Select(p => p.Id), replicate.PerProblem.Select(p => p.Id));   // the same problems
        Assert.Equal([PipelineRunner.EvaluationFile, PipelineRunner.ReplicateFile], Files(first.RunFolder).Select(f => f.Key).Order(StringComparer.Ordinal));
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
        Assert.Equal([PipelineRunner.EvaluationFile], Files(off.RunFolder).Select(f => f.Key));
    }
}
