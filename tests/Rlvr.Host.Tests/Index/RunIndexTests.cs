using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Index;
using Rlvr.Host.Runs;

namespace Rlvr.Host.Tests.Index;

/// <summary>The run index over hand-written run folders: what a sync lists, the filters, and what it does with broken files.</summary>
public sealed class RunIndexTests : IDisposable
{
    private readonly FakeRuns _runs = FakeRuns.Study();

    public void Dispose() => _runs.Dispose();

    private static string Key(RunRecord run) => $"{run.Study}/{run.Arm}/{run.Seed}";

    [Fact]
    public void SyncListsEveryRunWithItsStatusBaseFirst()
    {
        using var index = new RunIndex(_runs.Root);
        var report = index.Sync();

        Assert.Equal((7, 0), (report.Runs, report.Removed));
        Assert.Empty(report.Problems);
        var runs = index.Runs().Select(e => e.Run).ToList();
        Assert.Equal(["s/base/1", "s/grpo/1", "s/grpo/2", "s/grpo/3", "s/grpo/4", "s/sft/1", "t/base/1"], runs.Select(Key));
        Assert.Equal(["finished", "finished", "finished", "finished", "running", "failed", "unknown"], runs.Select(r => r.Status));
        // Without status.json: finished when evaluation.json is there, else unknown, and no stage.
        Assert.Null(runs[0].Stage);
        Assert.Equal(("train", "out of memory", "abc123"), (runs[5].Stage, runs[5].Error, runs[5].ConfigHash));
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T08:00:00Z"), runs[4].Started);
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T09:30:00Z"), runs[4].Updated);
        Assert.Equal(_runs.Folder("s", "grpo", 4), runs[4].Folder);
        Assert.Equal(["s", "t"], index.Studies());
        Assert.True(File.Exists(Path.Combine(_runs.Root, RunIndex.FileName)));
    }

    [Fact]
    public void EachRunKeepsItsConfigAndFinalMetrics()
    {
        using var index = new RunIndex(_runs.Root);
        index.Sync();
        var grpo = index.Runs(new RunFilter("s", "grpo", Seed: 3)).Single();
        var base1 = index.Runs(new RunFilter("s", "base")).Single();

        Assert.Equal(File.ReadAllText(Path.Combine(_runs.Folder("s", "grpo", 3), "config.json")), grpo.Config);
        var m = grpo.Metrics;
        Assert.Equal(0.6, m["pass@1"]);
        Assert.Equal(0.55, m["pass@1:lower"], 12);
        Assert.Equal(0.65, m["pass@1:upper"], 12);
        Assert.Equal(0.35, m["step_verified_pass@8"], 12);
        Assert.Equal(0.3, m["step_verified_pass@8:lower"], 12);
        Assert.Equal(0.4, m["step_verified_pass@8:upper"], 12);
        Assert.Equal((1.0, 0.6, 0.3, 4, 8, 0), (m["coverage"], m["answer_accuracy"], m["step_verified_accuracy"], m["problems"], m["samples"], m["verifier_errors"]));
        // The last value of each training metric; the eval line of metrics.jsonl is left to evaluation.json.
        Assert.Equal((0.3, 0.3, 2), (m["train:reward_mean"], m["train:reward/terminal"], m["train:step"]));
        Assert.DoesNotContain(m.Keys, k => k.StartsWith("eval:") || k.EndsWith(":time"));
        // A non-finite value ("NaN") is left out, so the last finite one stands.
        Assert.Equal((1.5, 0.001), (base1.Metrics["pretrain:loss"], base1.Metrics["pretrain:lr"]));
        Assert.Empty(index.Runs(new RunFilter("t")).Single().Metrics);
    }

    [Fact]
    public void FiltersKeepOnlyTheMatchingRuns()
    {
        using var index = new RunIndex(_runs.Root);
        index.Sync();
        string[] Listed(RunFilter filter) => [.. index.Runs(filter).Select(e => Key(e.Run))];

        Assert.Equal(["t/base/1"], Listed(new RunFilter(Study: "t")));
        Assert.Equal(["s/base/1", "t/base/1"], Listed(new RunFilter(Arm: "base")));
        Assert.Equal(["s/grpo/4"], Listed(new RunFilter(Status: "running")));
        Assert.Equal(["s/grpo/2"], Listed(new RunFilter(Study: "s", Arm: "grpo", Seed: 2)));
        Assert.Equal(["s/grpo/1", "s/grpo/2", "s/grpo/3"], Listed(new RunFilter(Arm: "grpo", Status: "finished")));
        Assert.Empty(Listed(new RunFilter(Study: "nope")));
    }

    [Fact]
    public void SyncAgainChangesNothingThenFollowsTheFiles()
    {
        using var index = new RunIndex(_runs.Root);
        index.Sync();
        var first = Snapshot(index);
        var again = index.Sync();
        Assert.Equal((7, 0), (again.Runs, again.Removed));
        Assert.Equal(first, Snapshot(index));
        Assert.Equal(first.Split('\n').Count(l => l.StartsWith("metric ")), RowCount("metrics"));

        Directory.Delete(Path.Combine(_runs.Root, "t"), recursive: true);
        _runs.Status("s", "grpo", 4, "done", "finished");
        var after = index.Sync();

        Assert.Equal((6, 1), (after.Runs, after.Removed));
        Assert.Equal(["s"], index.Studies());
        Assert.Equal("finished", index.Runs(new RunFilter(Seed: 4)).Single().Run.Status);
    }

    [Fact]
    public void ABrokenFileIsNamedAndLeftOutWithoutLosingTheOtherRuns()
    {
        string evaluation = _runs.Write("s", "grpo", 2, "evaluation.json", """{ "Problems": 4, "PassAtK": [ { "K": 1, """);
        string status = _runs.Write("s", "sft", 1, "status.json", "{}");
        string metrics = _runs.Write("s", "base", 1, "metrics.jsonl", """
            {"stage":"pretrain","step":1,"loss":2.5}
            {"stage":"pretrain","st
            {"stage":"pretrain","step":3,"loss":0.5}
            """);
        using var index = new RunIndex(_runs.Root);

        var report = index.Sync();

        Assert.Equal(3, report.Problems.Count);
        Assert.Contains(report.Problems, p => p.StartsWith($"{evaluation}: not valid JSON", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith($"{status}: not a run status", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith($"{metrics} line 2: not valid JSON", StringComparison.Ordinal));
        var runs = index.Runs();
        Assert.Equal(7, runs.Count);
        // Each broken file costs only what it held: seed 2 keeps its status but has no pass@k; the other lines of metrics.jsonl count.
        var seed2 = runs.Single(r => r.Run is { Arm: "grpo", Seed: 2 });
        Assert.Equal("finished", seed2.Run.Status);
        Assert.False(seed2.Metrics.ContainsKey("pass@1"));
        Assert.Equal("unknown", runs.Single(r => r.Run.Arm == "sft").Run.Status);
        Assert.Equal(0.5, runs.Single(r => r.Run is { Study: "s", Arm: "base" }).Metrics["pretrain:loss"]);
        Assert.Equal([1, 3], index.Compare("s", [1]).Single(a => a.Arm == "grpo").Seeds);
    }

    [Fact]
    public void SyncRunFollowsOneRunAsARunnerMovesItOn()
    {
        using var index = new RunIndex(_runs.Root);
        string folder = _runs.Folder("s", "dapo", 1);
        _runs.Status("s", "dapo", 1, "train", "running");
        _runs.Lock("s", "dapo", 1);
        Assert.Empty(index.SyncRun(folder));
        Assert.Equal(("running", "train"), index.Runs(new RunFilter(Arm: "dapo")).Select(e => (e.Run.Status, e.Run.Stage)).Single());

        _runs.Evaluation("s", "dapo", 1, 0.5, (1, 0.4, 0.3, 0.5));
        _runs.Status("s", "dapo", 1, "done", "finished");
        index.SyncRun(folder);

        var dapo = index.Runs(new RunFilter(Arm: "dapo")).Single();
        Assert.Equal(("finished", "done", 0.4), (dapo.Run.Status, dapo.Run.Stage, dapo.Metrics["pass@1"]));
        Assert.Throws<ArgumentException>(() => index.SyncRun(_runs.Root));
    }

    [Fact]
    public async Task SeveralWritersAtOnceAllLand()
    {
        using (new RunIndex(_runs.Root)) { }
        using (var connection = Raw()) Assert.Equal("wal", connection.Scalar(null, "PRAGMA journal_mode"));

        // As array jobs would: each writer its own connection, writing its own runs, while another syncs (which keeps
        // only the runs whose folders exist).
        for (int writer = 0; writer < 3; writer++)
            for (int seed = 1; seed <= 20; seed++) _runs.Folder("load", $"arm{writer}", seed);
        var writers = Enumerable.Range(0, 3).Select(writer => Task.Run(() =>
        {
            using var index = new RunIndex(_runs.Root);
            for (int seed = 1; seed <= 20; seed++)
            {
                var run = new RunRecord("load", $"arm{writer}", seed, _runs.Folder("load", $"arm{writer}", seed), "running", "train",
                    DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null);
                index.Upsert(new RunEntry(run, "{}", new Dictionary<string, double> { ["train:reward_mean"] = seed }));
            }
        })).Append(Task.Run(() =>
        {
            using var index = new RunIndex(_runs.Root);
            for (int i = 0; i < 5; i++) index.Sync();
        })).ToArray();
        await Task.WhenAll(writers);

        using var check = new RunIndex(_runs.Root);
        Assert.Equal(60, check.Runs(new RunFilter(Study: "load")).Count);
    }

    [Fact]
    public void AnOlderIndexIsRebuiltAndANewerOneRefused()
    {
        using (var index = new RunIndex(_runs.Root)) index.Sync();
        SetVersion(0, "CREATE TABLE leftover (x)");
        using (var index = new RunIndex(_runs.Root))
        {
            Assert.Empty(index.Runs());
            Assert.Equal(7, index.Sync().Runs);
        }
        Assert.Equal(0, RowCount("sqlite_master WHERE name = 'leftover'"));

        SetVersion(99);
        var error = Assert.Throws<InvalidDataException>(() => new RunIndex(_runs.Root));
        Assert.Contains("schema version 99, newer than this build's", error.Message);
    }

    [Fact]
    public void ARunningRunWhoseLockNoProcessHoldsIsListedInterrupted()
    {
        // s/grpo/4 runs with its lock held; seed 5 was killed (its lock file left behind, free); seed 6 never took one.
        _runs.Status("s", "grpo", 5, "train", "running");
        RunLock.Acquire(_runs.Folder("s", "grpo", 5), NullLogger.Instance).Dispose();
        _runs.Status("s", "grpo", 6, "train", "running");
        using var index = new RunIndex(_runs.Root);

        index.Sync();

        var statuses = index.Runs(new RunFilter("s", "grpo")).ToDictionary(e => e.Run.Seed, e => e.Run.Status);
        Assert.Equal(("running", "interrupted", "interrupted"), (statuses[4], statuses[5], statuses[6]));
        Assert.True(File.Exists(RunLock.FileOf(_runs.Folder("s", "grpo", 5))));
        Assert.False(File.Exists(RunLock.FileOf(_runs.Folder("s", "grpo", 6))), "probing a lock must not create its file");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("table missing")]
    public void ADamagedIndexIsMovedAsideAndRebuiltFromTheRunFolders(string damage)
    {
        string file = Path.Combine(_runs.Root, RunIndex.FileName);
        using (var index = new RunIndex(_runs.Root)) index.Sync();
        SqliteConnection.ClearAllPools();
        switch (damage)
        {
            case "garbage":
                File.WriteAllBytes(file, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 31 % 251))]);
                break;
            case "truncated":
                using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(stream.Length / 2);
                break;
            default:
                using (var connection = Raw()) connection.Execute(null, "DROP TABLE metrics");
                break;
        }
        byte[] damaged = File.ReadAllBytes(file);

        using var rebuilt = new RunIndex(_runs.Root);

        Assert.NotNull(rebuilt.Rebuilt);
        Assert.Contains(file, rebuilt.Rebuilt);
        Assert.Contains("rebuilt it from the run folders", rebuilt.Rebuilt);
        Assert.Equal(damaged, File.ReadAllBytes(Path.Combine(_runs.Root, RunIndex.DamagedFileName)));
        Assert.Equal(7, rebuilt.Runs().Count);
        Assert.Equal(0.6, rebuilt.Runs(new RunFilter("s", "grpo", Seed: 3)).Single().Metrics["pass@1"]);
        using var again = new RunIndex(_runs.Root);
        Assert.Null(again.Rebuilt);
    }

    // Every row the index returns, as text, so two syncs can be compared whole.
    private static string Snapshot(RunIndex index) => string.Join("\n", index.Runs().SelectMany(e =>
        e.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"metric {Key(e.Run)} {m.Key}={m.Value:R}").Prepend($"{e.Run} {e.Config}")));

    private SqliteConnection Raw()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_runs.Root, RunIndex.FileName)};Pooling=False");
        connection.Open();
        return connection;
    }

    private long RowCount(string table)
    {
        using var connection = Raw();
        return (long)connection.Scalar(null, $"SELECT count(*) FROM {table}")!;
    }

    private void SetVersion(int version, string? alsoRun = null)
    {
        using var connection = Raw();
        if (alsoRun is not null) connection.Execute(null, alsoRun);
        connection.Execute(null, $"PRAGMA user_version = {version}");
    }
}
