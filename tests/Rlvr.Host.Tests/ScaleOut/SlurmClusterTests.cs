using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rlvr.Host.Runs;
using Rlvr.ScaleOut;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.ScaleOut;

/// <summary>A test that needs a running Slurm cluster; skipped, saying so, only where sbatch is not installed (CI starts one with .ci/slurm-up.sh).</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (!ExternalCommands.Exists("sbatch")) Skip = "sbatch is not on PATH: no Slurm here (.ci/slurm-up.sh installs and starts a one-node cluster)";
    }
}

/// <summary>A study submitted to a real Slurm as a job array, with one task requeued while it trains.</summary>
public sealed class SlurmClusterTests : IDisposable
{
    private readonly string _root = SharedTestFolder.Create("slurm-cluster");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // 2 arms x 2 seeds. grpo trains long enough (200 tiny steps) to be requeued mid-run, with a checkpoint every 10 steps.
    private const string StudyJson = """
    {
      "Run": { "Name": "array", "Threads": 1 },
      "Seeds": [1, 2],
      "Components": { "Model": "transformer", "Tokenizer": "char", "Task": "arithmetic", "Verifier": "arithmetic" },
      "Models": { "Transformer": { "Layers": 1, "Width": 32, "Heads": 2, "ContextLength": 32 } },
      "Tasks": { "Arithmetic": { "MaxDifficulty": 2, "MaxOperand": 9 } },
      "Pretrain": { "TokenBudget": 10000, "BatchSize": 8 },
      "Evaluation": { "Problems": 6, "Samples": 4 },
      "Train": { "Steps": 200, "CheckpointEvery": 10, "LogEvery": 50 },
      "Algorithms": { "Grpo": { "PromptsPerStep": 2, "GroupSize": 4 }, "Sft": { "ProblemsPerStep": 4 } },
      "Arms": { "grpo": { "Components": { "Algorithm": "grpo" } }, "sft": { "Components": { "Algorithm": "sft" }, "Train": { "Steps": 20 } } }
    }
    """;

    private static CommandResult Slurm(string program, params string[] arguments)
    {
        var result = ExternalCommands.Run(program, arguments);
        Assert.True(result.Succeeded, $"{program} {string.Join(' ', arguments)}: exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        return result;
    }

    private static ProcessRunner.Result Rlvr(params string[] arguments) =>
        ProcessRunner.Dotnet([Repository.CliAssembly, .. arguments], Repository.Root, TimeSpan.FromMinutes(1));

    // Jobs the cluster knows, finished ones included (MinJobAge keeps them a while).
    private static string Jobs() => Slurm("squeue", "--noheader", "--states=all", "--format=%i").Output;

    [SlurmFact]
    public void ABadSubmissionFailsBeforeAnythingIsQueued()
    {
        string config = Path.Combine(_root, "array.json");
        File.WriteAllText(config, StudyJson);
        string before = Jobs();

        var partition = Rlvr("submit", config, "--backend", "slurm", "--partition", "nosuch", $"--Run:RunRoot={Path.Combine(_root, "runs")}");
        var scratch = Rlvr("submit", config, "--backend", "slurm", "--Run:RunRoot=/tmp/rlvr-runs");
        var invalid = Rlvr("submit", config, "--backend", "slurm", $"--Run:RunRoot={Path.Combine(_root, "runs")}", "--Arms:grpo:Components:Algorithm=grp");

        Assert.True(partition.ExitCode == 2, partition.ToString());
        Assert.Contains("--partition nosuch: no such partition; this cluster has debug", partition.Error);
        Assert.True(scratch.ExitCode == 2, scratch.ToString());
        Assert.Contains("is under /tmp, a node's scratch space", scratch.Error);
        Assert.True(invalid.ExitCode == 2, invalid.ToString());
        Assert.Contains("Arms:grpo", invalid.Error);
        Assert.Contains("'grp'", invalid.Error);
        Assert.Equal(before, Jobs());
        Assert.False(Directory.Exists(Path.Combine(_root, "runs", "array")));
    }

    // The step of the newest checkpoint in a run folder, 0 when there is none yet (older ones are pruned as training goes on).
    private static int LatestCheckpoint(string runFolder)
    {
        try
        {
            return Directory.GetDirectories(Path.Combine(runFolder, CheckpointStore.Folder), "step-*").Select(Path.GetFileName)
                .Select(name => int.TryParse(name!["step-".Length..], out int step) ? step : 0).DefaultIfEmpty(0).Max();
        }
        catch (DirectoryNotFoundException)   // not made yet, or cleared by a run that starts afresh
        {
            return 0;
        }
    }

    [SlurmFact]
    public void ARequeuedArrayTaskResumesFromItsCheckpointAndEndsAsIfUninterrupted()
    {
        Assert.True(ExternalCommands.Run("sinfo", ["--noheader"]).Succeeded, "sbatch is installed but the cluster does not answer: start it with .ci/slurm-up.sh");
        string config = Path.Combine(_root, "array.json"), runs = Path.Combine(_root, "runs");
        File.WriteAllText(config, StudyJson);

        var submitted = Rlvr("submit", config, "--backend", "slurm", $"--Run:RunRoot={runs}");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        string job = Regex.Match(submitted.Output, @"Submitted job array (\d+)").Groups[1].Value;
        Assert.NotEmpty(job);

        // Requeue task 0 (grpo, seed 1) once it has checkpointed past step 20.
        string grpo = Path.Combine(runs, "array", "grpo", "seed-1");
        var clock = Stopwatch.StartNew();
        while (LatestCheckpoint(grpo) < 20)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"task 0 made no checkpoint past step 20 in 4 minutes:\n{Slurm("squeue", "-j", job).Output}");
            Thread.Sleep(100);
        }
        Slurm("scontrol", "requeue", $"{job}_0");

        // While the array runs, the index and the report read what there is.
        var listed = Rlvr("runs", "--runs", runs);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains("grpo", listed.Output);
        var reported = Rlvr("report", Path.Combine(runs, "array"));
        Assert.True(reported.ExitCode == 0, reported.ToString());

        while (Slurm("squeue", "--noheader", "-j", job).Output.Trim().Length > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(8), $"the array did not finish in 8 minutes:\n{Slurm("squeue", "-j", job).Output}");
            Thread.Sleep(500);
        }

        foreach (string arm in new[] { "base", "grpo", "sft" })
            foreach (int seed in new[] { 1, 2 })
            {
                var status = JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(Path.Combine(runs, "array", arm, $"seed-{seed}", RunStatus.File)))!;
                Assert.True(status.Status == RunStatus.Finished, $"{arm}/seed-{seed} is {status.Status}");
            }
        Assert.Contains("Restarts=1 ", Slurm("scontrol", "show", "job", $"{job}_0").Output);
        string output = File.ReadAllText(Path.Combine(runs, "array", "slurm", $"{job}_0.out"));
        Assert.Contains("restart 0,", output);
        Assert.Contains("restart 1,", output);
        int resumedAt = int.Parse(Regex.Match(output, @"Resuming at step (\d+) of 200").Groups[1].Value);
        Assert.True(resumedAt > 20, $"resumed at step {resumedAt}\n{output}");

        // The same task run here, uninterrupted, computes the same steps and the same model.
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { ConfigFile = config, Overrides = [$"--Run:RunRoot={Path.Combine(_root, "uninterrupted")}"] });
        using var host = builder.Build();
        var uninterrupted = new StudyRunner(builder).RunTask(host, 0).Arms.Single();
        Assert.Equal(TinyStudy.TrainMetrics(uninterrupted.RunFolder), TinyStudy.TrainMetrics(grpo));
        Assert.Equal(200, TinyStudy.TrainMetrics(grpo).Count);
        Assert.Equal(File.ReadAllBytes(uninterrupted.ModelPath), File.ReadAllBytes(Path.Combine(grpo, "model.bin")));
    }
}
