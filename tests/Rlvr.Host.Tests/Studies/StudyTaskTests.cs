using System.Text.Json;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Studies;

/// <summary>A study split into tasks (what a job array runs): any tasks, in any order, at once or not, give the whole study's results.</summary>
public sealed class StudyTaskTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-tasks-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // Two seeds; arm "more" continues from arm "grpo".
    private static string[] Study(string runRoot) =>
    [
        .. TinyStudy.Overrides(runRoot), "--Train:Steps=3", "--Run:Threads=1", "--Seeds:0=1", "--Seeds:1=2",
        "--Arms:grpo:Components:Algorithm=grpo", "--Arms:more:Components:Algorithm=grpo", "--Arms:more:Train:From=grpo",
    ];

    private static T WithRunner<T>(string[] overrides, Func<StudyRunner, Microsoft.Extensions.Hosting.IHost, T> run)
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = overrides });
        using var host = builder.Build();
        return run(new StudyRunner(builder), host);
    }

    private static string Pretraining(string runRoot, int seed) =>
        string.Join("\n", File.ReadLines(Path.Combine(runRoot, "study", "base", $"seed-{seed}", "metrics.jsonl"))
            .Where(line => line.Contains("\"pretrain\"", StringComparison.Ordinal))
            .Select(line => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!)
            .Select(r => $"{r["step"]} {r["loss"]}"));

    [Fact]
    public void TasksAreSeedsTimesArmsInTheOrderArmsRun()
    {
        var tasks = WithRunner(Study(_root), (runner, _) => runner.Tasks());

        Assert.Equal([new StudyTask(0, 1, "grpo"), new StudyTask(1, 1, "more"), new StudyTask(2, 2, "grpo"), new StudyTask(3, 2, "more")], tasks);
    }

    [Fact]
    public void AStudyWithoutArmsHasOneBaseTaskASeed()
    {
        var tasks = WithRunner([.. Study(_root).Where(o => !o.StartsWith("--Arms", StringComparison.Ordinal))], (runner, _) => runner.Tasks());

        Assert.Equal([new StudyTask(0, 1, "base"), new StudyTask(1, 2, "base")], tasks);
    }

    [Fact]
    public void AnIndexOutsideTheStudyIsAClearError()
    {
        var error = Assert.Throws<ConfigurationErrorsException>(() => WithRunner(Study(_root), (runner, host) => runner.RunTask(host, 4)));

        Assert.Contains("--index 4: the study has 4 task(s), numbered 0 to 3", error.Message);
    }

    [Fact]
    public void TasksRunApartAndAtOnceGiveTheWholeStudysResults()
    {
        string whole = Path.Combine(_root, "whole"), tasks = Path.Combine(_root, "tasks");
        var study = WithRunner(Study(whole), (runner, host) => runner.Run(host));

        // Seed 2's last task alone computes the base and the arm it starts from.
        var last = WithRunner(Study(tasks), (runner, host) => runner.RunTask(host, 3));
        Assert.Equal(["grpo", "more"], last.Arms.Select(a => a.Arm));
        // Seed 1's two tasks at once, as two array tasks would: one pretrains the base, the other waits for it.
        var firstTwo = new SeedResult[2];
        Parallel.For(0, 2, i => firstTwo[i] = WithRunner(Study(tasks), (runner, host) => runner.RunTask(host, i)));

        foreach (var (expected, actual) in new[] { (study.Seeds[1], last), (study.Seeds[0], firstTwo[1]) })
        {
            Assert.Equal(expected.Seed, actual.Seed);
            Assert.Equal(File.ReadAllBytes(expected.Base.ModelPath), File.ReadAllBytes(actual.Base.ModelPath));
            foreach (var arm in expected.Arms)
            {
                var mine = actual.Arms.Single(a => a.Arm == arm.Arm);
                Assert.Equal(arm.Evaluation.PerProblem.Select(p => p.Correct), mine.Evaluation.PerProblem.Select(p => p.Correct));
                Assert.Equal(File.ReadAllBytes(arm.ModelPath), File.ReadAllBytes(mine.ModelPath));
            }
        }
        // The base of seed 1 was pretrained once: its metrics hold one pass of pretraining, equal to the whole study's.
        Assert.Equal(Pretraining(whole, 1), Pretraining(tasks, 1));
    }
}
