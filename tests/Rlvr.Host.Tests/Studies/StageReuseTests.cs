using System.Text.Json;
using System.Text.Json.Nodes;
using Rlvr.Index;
using Rlvr.Reporting;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Studies;

/// <summary>What a rerun reuses: only stages whose files verify and whose configuration is unchanged; nothing finished is overwritten.</summary>
public sealed class StageReuseTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-reuse-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string[] Study(params string[] more) => TinyStudy.WithGrpoArm(_root, more);

    private string StudyLog() => string.Join("\n", Directory.GetFiles(Path.Combine(_root, "study", "logs"), "*.log").Select(File.ReadAllText));

    private static (string Run, string Stage) Of(StageProgress p) => (p.Run.Split('/')[0], p.Stage);

    [Fact]
    public void AFlippedByteInTheBasesModelIsFoundAndTheBasePretrainedAgainWhileTheArmIsReused()
    {
        var first = TinyStudy.Run(Study()).Seeds.Single();
        byte[] model = File.ReadAllBytes(first.Base.ModelPath);
        var armTime = File.GetLastWriteTimeUtc(first.Arms[0].ModelPath);
        byte[] flipped = [.. model];
        flipped[flipped.Length / 2] ^= 1;
        File.WriteAllBytes(first.Base.ModelPath, flipped);

        var second = TinyStudy.Run(Study()).Seeds.Single();

        Assert.Equal(model, File.ReadAllBytes(second.Base.ModelPath));                      // computed again, to the same bytes
        Assert.Equal(armTime, File.GetLastWriteTimeUtc(second.Arms[0].ModelPath));         // so the arm's start is unchanged
        Assert.Contains($"{JsonEncodedText.Encode(first.Base.ModelPath)} does not match its recorded size and SHA-256", StudyLog());
    }

    [Fact]
    public void ATruncatedArmModelAndADamagedEvaluationAreFoundAndComputedAgain()
    {
        var first = TinyStudy.Run(Study()).Seeds.Single();
        byte[] model = File.ReadAllBytes(first.Arms[0].ModelPath);
        File.WriteAllBytes(first.Arms[0].ModelPath, model[..(model.Length / 2)]);           // as if the disk lost the tail
        string evaluation = Path.Combine(first.Base.RunFolder, RunPaths.EvaluationFile);
        File.WriteAllText(evaluation, File.ReadAllText(evaluation).Replace("\"Samples\": 4", "\"Samples\": 5"));
        var steps = new List<StageProgress>();

        var second = TinyStudy.Run(Study(), steps.Add).Seeds.Single();

        Assert.Equal(model, File.ReadAllBytes(second.Arms[0].ModelPath));
        Assert.Equal(4, second.Base.Evaluation.Samples);
        Assert.DoesNotContain(("base", "pretrain"), steps.Select(Of));                      // the base's model verified: evaluated again only
        Assert.Equal(5, steps.Where(p => Of(p) == ("grpo", "train")).Min(p => p.Step));      // resumed from the arm's last checkpoint, step 4
        string log = StudyLog();
        Assert.Contains($"{JsonEncodedText.Encode(first.Arms[0].ModelPath)} does not match its recorded size and SHA-256", log);
        Assert.Contains($"{JsonEncodedText.Encode(evaluation)} does not match its recorded size and SHA-256", log);
    }

    [Fact]
    public void AnEvaluationChangeEvaluatesAgainWithoutTrainingAndKeepsThePreviousEvaluation()
    {
        var first = TinyStudy.Run(Study()).Seeds.Single();
        var times = new[] { first.Base.ModelPath, first.Arms[0].ModelPath }.Select(File.GetLastWriteTimeUtc).ToList();
        var steps = new List<StageProgress>();

        var second = TinyStudy.Run(Study("--Evaluation:Samples=8"), steps.Add).Seeds.Single();

        Assert.Equal(times, new[] { second.Base.ModelPath, second.Arms[0].ModelPath }.Select(File.GetLastWriteTimeUtc));
        Assert.Equal([("base", "evaluate"), ("grpo", "evaluate")], steps.Select(Of).Distinct());
        Assert.Equal((8, 8), (second.Base.Evaluation.Samples, second.Arms[0].Evaluation.Samples));
        foreach (string folder in new[] { second.Base.RunFolder, second.Arms[0].RunFolder })
        {
            string kept = Assert.Single(Directory.GetFiles(folder, $"evaluation{RunStages.ReplacedMarker}*.json"));
            Assert.Equal(4, JsonSerializer.Deserialize<JsonObject>(File.ReadAllText(kept))!["Samples"]!.GetValue<int>());
            Assert.Single(TinyStudy.Metrics(folder, RunStages.EvaluationMetrics));
        }
    }

    [Fact]
    public void ATrainingChangeMovesTheFinishedArmAsideAndTheReusedBaseRecordsTheNewConfiguration()
    {
        var first = TinyStudy.Run(Study()).Seeds.Single();
        byte[] model = File.ReadAllBytes(first.Arms[0].ModelPath);
        var baseTime = File.GetLastWriteTimeUtc(first.Base.ModelPath);

        var second = TinyStudy.Run(Study("--Train:Steps=4")).Seeds.Single();

        string replaced = Assert.Single(Directory.GetDirectories(Path.Combine(_root, "study", "grpo"), $"seed-1{RunStages.ReplacedMarker}*"));
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(replaced, RunPaths.ModelFile)));   // the 6-step arm, kept whole
        Assert.Equal(6, TinyStudy.TrainMetrics(replaced).Count);
        Assert.Equal(4, TinyStudy.TrainMetrics(second.Arms[0].RunFolder).Count);
        Assert.Contains(JsonEncodedText.Encode(replaced).ToString(), StudyLog());            // the warning says where it went
        Assert.Null(RunFolderReader.Identify(replaced));                                      // neither `rlvr runs` nor the report read it
        Assert.Single(StudyLoader.Load(Path.Combine(_root, "study")).Runs, r => r.Arm == "grpo");

        Assert.Equal(baseTime, File.GetLastWriteTimeUtc(second.Base.ModelPath));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(second.Base.RunFolder, RunPaths.ConfigFile)))!;
        Assert.Equal(4, config["Train"]!["Steps"]!.GetValue<int>());                                   // what the report's configuration diff reads
    }
}
