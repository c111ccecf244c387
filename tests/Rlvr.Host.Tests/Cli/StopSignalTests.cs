using System.Diagnostics;
using System.Text.Json;
using Rlvr.Host.Runs;
using Rlvr.ScaleOut;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Cli;

/// <summary>SIGTERM, what a scheduler sends before it pre-empts or requeues a task, stops rlvr between steps.</summary>
public sealed class StopSignalTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-sigterm-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("train 10/", "grpo", "Arm grpo stopped before it finished", "train")]
    [InlineData("pretrain 3/", "base", "The base run stopped before it finished", "pretrain")]
    public void SigtermStopsTheRunBetweenStepsWithExitCode143AndStatusStopped(string runningLine, string arm, string stoppedLine, string stage)
    {
        string[] study =
        [
            .. TinyStudy.Overrides(_root), "--Train:Steps=100000", "--Train:CheckpointEvery=5", "--Train:LogEvery=1",
            "--Arms:grpo:Components:Algorithm=grpo", "--Run:Threads=1",
            .. stage == "pretrain" ? ["--Pretrain:TokenBudget=100000000000", "--Pretrain:LogEvery=1", "--Pretrain:CheckpointEvery=2"] : Array.Empty<string>(),
        ];
        string config = Path.Combine(_root, "empty.json"), log = Path.Combine(_root, "rlvr.log");
        File.WriteAllText(config, "{}");
        // Output to a file, so that nothing waits on a pipe; exec, so that the shell's process id is rlvr's.
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        string[] arguments = ["-c", "exec dotnet \"$@\" > \"$0\" 2>&1", log, Repository.CliAssembly, "run", config, "--index", "0", .. study];
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var rlvr = Process.Start(start)!;
        string Log() => File.Exists(log) ? File.ReadAllText(log) : "";
        var clock = Stopwatch.StartNew();
        while (!Log().Contains(runningLine, StringComparison.Ordinal))
        {
            Assert.False(rlvr.HasExited, $"rlvr ended before '{runningLine}':\n{Log()}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"no '{runningLine}' in 2 minutes");
            Thread.Sleep(100);
        }

        Assert.True(ExternalCommands.Run("kill", ["-TERM", $"{rlvr.Id}"]).Succeeded);
        var stopping = Stopwatch.StartNew();
        if (!rlvr.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            rlvr.Kill();
            Assert.Fail($"rlvr did not stop within 60 s of SIGTERM:\n{Log()}");
        }
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"rlvr took {stopping.Elapsed.TotalSeconds:F0} s to stop");

        Assert.Equal(143, rlvr.ExitCode);
        Assert.Contains(stoppedLine, Log());
        Assert.Contains("stopped: every finished step up to the last checkpoint is kept", Log());
        var status = JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(Path.Combine(_root, "study", arm, "seed-1", RunStatus.File)))!;
        Assert.Equal(RunStatus.Stopped, status.Status);
        Assert.Equal(stage, status.Stage);
    }
}
