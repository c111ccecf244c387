using System.Text.Json;
using Rlvr.Host.Configuration;
using Rlvr.Host.Metrics;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Studies;

/// <summary>Stage caching and exact resume: a stopped run continues as if it had never stopped.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-resume-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string[] Study(string runRoot, params string[] more) => TinyStudy.WithGrpoArm(runRoot, more);

    private static StudyResult Run(string[] overrides, Action<StageProgress>? onStep = null, CancellationToken cancellation = default) =>
        TinyStudy.Run(overrides, onStep, cancellation);

    private static List<string> TrainMetrics(string runFolder) => TinyStudy.TrainMetrics(runFolder);

    [Fact]
    public void AStoppedRunResumesFromItsCheckpointAndMatchesAnUninterruptedRunStepForStep()
    {
        var uninterrupted = Run(Study(Path.Combine(_root, "whole"))).Arms.Single();

        // Stop after step 5: the checkpoint of step 4 is the last one, so step 5 is recomputed on resume.
        string[] stopped = Study(Path.Combine(_root, "stopped"));
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Run(stopped, p => { if (p.Stage == "train" && p.Step == 5) stop.Cancel(); }, stop.Token));
        string folder = Path.Combine(_root, "stopped", "study", "grpo", "seed-1");
        Assert.Equal(5, TrainMetrics(folder).Count);
        Assert.Equal(RunStatus.Stopped, JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(Path.Combine(folder, RunStatus.File)))!.Status);

        int firstResumedStep = 0;
        var resumed = Run(stopped, p => { if (p.Stage == "train" && firstResumedStep == 0) firstResumedStep = p.Step; }).Arms.Single();

        Assert.Equal(5, firstResumedStep);
        Assert.Equal(TrainMetrics(uninterrupted.RunFolder), TrainMetrics(resumed.RunFolder));
        Assert.Equal(6, TrainMetrics(resumed.RunFolder).Count);
        Assert.Equal(uninterrupted.Evaluation.PerProblem.Select(p => p.Correct), resumed.Evaluation.PerProblem.Select(p => p.Correct));
        Assert.Equal(File.ReadAllBytes(uninterrupted.ModelPath), File.ReadAllBytes(resumed.ModelPath));
    }

    // Pretraining checkpoints every 2 steps and logs every 2; evaluation in 3 batches of 2 problems, so a stop can fall between them.
    private static string[] EveryStage(string runRoot) =>
        Study(runRoot, "--Pretrain:CheckpointEvery=2", "--Pretrain:LogEvery=2", "--Evaluation:RowsPerBatch=8");

    [Theory]
    [InlineData("base", "pretrain", 7)]
    [InlineData("base", "evaluate", 2)]
    [InlineData("grpo", "evaluate", 2)]
    public void AStopInAnyStageResumesToTheUninterruptedResult(string run, string stage, int step)
    {
        var whole = Run(EveryStage(Path.Combine(_root, "whole"))).Seeds.Single();

        string[] study = EveryStage(Path.Combine(_root, "stopped"));
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Run(study, p => { if (p.Run == $"{run}/seed-1" && p.Stage == stage && p.Step == step) stop.Cancel(); }, stop.Token));
        string stoppedFolder = Path.Combine(_root, "stopped", "study", run, "seed-1");
        var status = JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(Path.Combine(stoppedFolder, RunStatus.File)))!;
        Assert.Equal((RunStatus.Stopped, stage), (status.Status, status.Stage));
        // What a kill -9 at the same point would leave besides: half-written files that were never renamed into place.
        Directory.CreateDirectory(Path.Combine(stoppedFolder, CheckpointStore.Folder, "step-999999.tmp"));
        File.WriteAllText(Path.Combine(stoppedFolder, CheckpointStore.Folder, "step-999999.tmp", "policy.bin"), "half a checkpoint");
        File.WriteAllText(Path.Combine(stoppedFolder, $"{RunPaths.ModelFile}.0123456789abcdef.tmp"), "half a model");

        var resumedSteps = new List<StageProgress>();
        var resumed = Run(study, resumedSteps.Add).Seeds.Single();

        var firstResumed = resumedSteps.First(p => p.Run == $"{run}/seed-1");
        if (stage == "pretrain") Assert.Equal(("pretrain", step), (firstResumed.Stage, firstResumed.Step));   // from step 6's checkpoint
        else Assert.Equal(("evaluate", 2), (firstResumed.Stage, firstResumed.Step));                             // the model is reused, not trained again
        Assert.Equal(File.ReadAllBytes(whole.Base.ModelPath), File.ReadAllBytes(resumed.Base.ModelPath));
        Assert.Equal(File.ReadAllBytes(whole.Arms[0].ModelPath), File.ReadAllBytes(resumed.Arms[0].ModelPath));
        foreach (var (a, b) in new[] { (whole.Base.Evaluation, resumed.Base.Evaluation), (whole.Arms[0].Evaluation, resumed.Arms[0].Evaluation) })
            Assert.Equal(JsonSerializer.Serialize(a.PerProblem), JsonSerializer.Serialize(b.PerProblem));
        foreach (string metric in new[] { "pretrain", "eval" })
            Assert.Equal(TinyStudy.Metrics(whole.Base.RunFolder, metric), TinyStudy.Metrics(resumed.Base.RunFolder, metric));   // each step once
        Assert.Equal(TrainMetrics(whole.Arms[0].RunFolder), TrainMetrics(resumed.Arms[0].RunFolder));
        Assert.Single(Directory.GetFiles(Path.Combine(stoppedFolder, TensorBoardMetricsSink.Folder)));                  // rebuilt, no stale file beside it
    }

    [Fact]
    public void TheSummaryAveragesTheLogWindowsAcrossAResumeAndACurriculumsDifficultyIsLogged()
    {
        string[] Windowed(string root) => Study(root, "--Train:LogEvery=4", "--Arms:grpo:Components:Curriculum=adaptive");
        var whole = Run(Windowed(Path.Combine(_root, "whole"))).Arms.Single();
        // Stopped after step 5, resumed from step 4's checkpoint: the last window (steps 3..6) spans the resume.
        string[] stopped = Windowed(Path.Combine(_root, "stopped"));
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Run(stopped, p => { if (p.Stage == "train" && p.Step == 5) stop.Cancel(); }, stop.Token));
        var resumed = Run(stopped).Arms.Single();

        var steps = File.ReadLines(Path.Combine(whole.RunFolder, RunPaths.MetricsFile))
            .Select(line => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!).Where(r => r["stage"].GetString() == "train").ToList();
        Assert.Equal(6, steps.Count);
        // The adaptive curriculum's level, each step: the task's only difficulty here.
        Assert.All(steps, r => Assert.Equal(2.0, r["difficulty_mean"].GetDouble()));
        foreach (string metric in new[] { "reward_mean", "length_mean", "entropy" })
        {
            double[] values = [.. steps.Select(r => r[metric].GetDouble())];
            foreach (var arm in new[] { whole, resumed })
            {
                Assert.Equal(values[..4].Average(), arm.Training.First[metric], 12);
                Assert.Equal(values[2..].Average(), arm.Training.Last[metric], 12);
            }
        }
        double[] lengths = [.. steps.Select(r => r["length_mean"].GetDouble())];
        Assert.True(lengths[0] != lengths[..4].Average() && lengths[5] != lengths[2..].Average(), "the steps must differ, or the windows show nothing");
        Assert.Equal((4, 2.0), (resumed.Training.Window, resumed.Training.Last["difficulty_mean"]));
        Assert.EndsWith("(means of the first and the last 4 steps; under a curriculum, mean difficulty 2.00 at both ends)", resumed.Training.Describe());
    }

    [Fact]
    public void ADamagedCheckpointIsDetectedAndThePreviousOneUsed()
    {
        string[] study = Study(_root);
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Run(study, p => { if (p.Stage == "train" && p.Step == 5) stop.Cancel(); }, stop.Token));
        string checkpoints = Path.Combine(_root, "study", "grpo", "seed-1", CheckpointStore.Folder);
        File.WriteAllText(Path.Combine(checkpoints, "step-000004", "policy.bin"), "half a file");   // as if the disk lost the tail

        int firstResumedStep = 0;
        Run(study, p => { if (p.Stage == "train" && firstResumedStep == 0) firstResumedStep = p.Step; });
        Assert.Equal(3, firstResumedStep);                                                     // from step 2's checkpoint
    }

    [Fact]
    public void ChangingAnArmsOptionRerunsOnlyThatArmAndChangingThePretrainingSeedRerunsTheBase()
    {
        var first = Run(Study(_root)).Seeds.Single();
        foreach (string folder in new[] { first.Base.RunFolder, first.Arms[0].RunFolder })
        {
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "logs"), "rlvr-*.log"));                         // each run's own log
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, TensorBoardMetricsSink.Folder), "events.out.tfevents*"));
            Assert.Equal(RunStatus.Finished, JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(Path.Combine(folder, RunStatus.File)))!.Status);
        }
        var baseTime = File.GetLastWriteTimeUtc(first.Base.ModelPath);
        var armTime = File.GetLastWriteTimeUtc(first.Arms[0].ModelPath);

        var unchanged = Run(Study(_root)).Seeds.Single();                                       // nothing to do
        Assert.Equal(baseTime, File.GetLastWriteTimeUtc(unchanged.Base.ModelPath));
        Assert.Equal(armTime, File.GetLastWriteTimeUtc(unchanged.Arms[0].ModelPath));

        var retuned = Run(Study(_root, "--Algorithms:Grpo:LearningRate=0.0005")).Seeds.Single();
        Assert.Equal(baseTime, File.GetLastWriteTimeUtc(retuned.Base.ModelPath));
        Assert.NotEqual(armTime, File.GetLastWriteTimeUtc(retuned.Arms[0].ModelPath));

        var reseeded = Run(Study(_root, "--Seeds:0=2")).Seeds.Single();
        Assert.Equal(2, reseeded.Seed);
        Assert.True(File.Exists(Path.Combine(_root, "study", "base", "seed-2", RunPaths.ModelFile)));
        Assert.Equal(baseTime, File.GetLastWriteTimeUtc(first.Base.ModelPath));                // seed 1's base untouched
    }

    [Fact]
    public void AFailedRunSkipsOnlyTheArmsThatStartFromItAndEveryOtherRunFinishes()
    {
        string[] study = [.. TinyStudy.Overrides(_root), "--Seeds:0=1", "--Seeds:1=2", "--Train:Steps=2"];
        Run(study);                                                                                // both seeds' bases
        TinyStudy.ReplaceBaseModel(Path.Combine(_root, "study", "base", "seed-1"), "not a model");
        string[] arms = ["--Arms:sft:Components:Algorithm=sft", "--Arms:grpo:Components:Algorithm=grpo", "--Arms:grpo:Train:From=sft",
            "--Arms:rloo:Components:Algorithm=rloo", "--Algorithms:Rloo:PromptsPerStep=2", "--Algorithms:Rloo:GroupSize=4"];

        var e = Assert.Throws<StudyRunsFailedException>(() => Run([.. study, .. arms]));

        // Seed 1: both arms that start from the damaged base were tried and failed; grpo, which starts from sft, was not run.
        Assert.Equal([("rloo", 1, true), ("sft", 1, true), ("grpo", 1, false)], e.Failures.Select(f => (f.Arm, f.Seed, f.Error is not null)));
        Assert.Contains("grpo seed 1: not run, it starts from sft, which failed", e.Message);
        string Status(string arm, int seed) =>
            JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(Path.Combine(_root, "study", arm, $"seed-{seed}", RunStatus.File)))!.Status;
        Assert.Equal(RunStatus.Failed, Status("sft", 1));
        Assert.False(Directory.Exists(Path.Combine(_root, "study", "grpo", "seed-1")));
        foreach (string arm in new[] { "rloo", "sft", "grpo" }) Assert.Equal(RunStatus.Finished, Status(arm, 2));   // seed 2 went on
    }

    [Fact]
    public void ARunRootThatCannotBeWrittenIsAnErrorBeforeAnyCompute()
    {
        string file = Path.Combine(_root, "not-a-folder");
        File.WriteAllText(file, "");
        var e = Assert.Throws<ConfigurationErrorsException>(() => Run(Study(file)));
        Assert.StartsWith("Run:RunRoot: cannot write", Assert.Single(e.Errors));
    }
}
