using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Index;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Studies;

/// <summary>RlSeeds: several RL runs of every arm from each base seed, each in its own folder, seeded by (seed, RL seed).</summary>
/// <remarks>Its studies set TorchSharp's process-wide thread count (Run:Threads, Run:Parallel): they run alone, so no other test computes under it.</remarks>
[Collection(nameof(RlSeedsTests))]
public sealed class RlSeedsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-rlseeds-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // Two base seeds; arm "more" continues from arm "grpo".
    private static string[] Study(string runRoot, params string[] more) =>
    [
        .. TinyStudy.Overrides(runRoot), "--Train:Steps=2", "--Run:Threads=1", "--Seeds=1,2",
        "--Arms:grpo:Components:Algorithm=grpo", "--Arms:more:Components:Algorithm=grpo", "--Arms:more:Train:From=grpo",
        .. more,
    ];

    private static string Folder(string runRoot, string arm, string run) => Path.Combine(runRoot, "study", arm, run);

    [Fact]
    public void TasksAreSeedsTimesRlSeedsTimesArms()
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = Study(_root, "--RlSeeds=7,3") });
        Assert.Equal(
        [
            new StudyTask(0, 1, "grpo", 7), new StudyTask(1, 1, "more", 7), new StudyTask(2, 1, "grpo", 3), new StudyTask(3, 1, "more", 3),
            new StudyTask(4, 2, "grpo", 7), new StudyTask(5, 2, "more", 7), new StudyTask(6, 2, "grpo", 3), new StudyTask(7, 2, "more", 3),
        ], new StudyRunner(builder).Tasks());
    }

    [Fact]
    public void EachArmRunsOncePerSeedAndRlSeedDeterministicallyAndARerunReusesThem()
    {
        string first = Path.Combine(_root, "first"), second = Path.Combine(_root, "second");
        var result = TinyStudy.Run(Study(first, "--RlSeeds=1,2"));

        // One unit per (seed, RL seed), in that order; the base once per seed, shared by its RL seeds.
        Assert.Equal(new[] { (1, 1), (1, 2), (2, 1), (2, 2) }, result.Seeds.Select(u => (u.Seed, u.RlSeed!.Value)));
        Assert.Equal(["seed-1", "seed-2"], Runs(first, "base"));
        foreach (string arm in new[] { "grpo", "more" })
            Assert.Equal(["seed-1-rl-1", "seed-1-rl-2", "seed-2-rl-1", "seed-2-rl-2"], Runs(first, arm));
        Assert.Equal(result.Seeds[0].Base.ModelPath, result.Seeds[1].Base.ModelPath);
        foreach (var unit in result.Seeds)
            foreach (var arm in unit.Arms)
            {
                Assert.Equal(Folder(first, arm.Arm, $"seed-{unit.Seed}-rl-{unit.RlSeed}"), arm.RunFolder);
                Assert.Equal(unit.RlSeed, JsonNode.Parse(File.ReadAllText(Path.Combine(arm.RunFolder, RunPaths.ConfigFile)))!["Run"]!["RlSeed"]!.GetValue<int>());
                // Evaluated on the base's held-out problems.
                Assert.Equal(unit.Base.Evaluation.PerProblem.Select(p => p.Id), arm.Evaluation.PerProblem.Select(p => p.Id));
            }
        // "more" of (1, 2) started from "grpo" of (1, 2): its model's fingerprint names those weights.
        string more = File.ReadAllText(Path.Combine(Folder(first, "more", "seed-1-rl-2"), ArmRunner.ArmFile));
        Assert.Contains($"start={AtomicFile.Hash(Path.Combine(Folder(first, "grpo", "seed-1-rl-2"), RunPaths.ModelFile))}", more);

        // The RL seeds of one base train different models: rollouts and problem draws are their own.
        foreach (string arm in new[] { "grpo", "more" })
            Assert.NotEqual(Model(first, arm, "seed-1-rl-1"), Model(first, arm, "seed-1-rl-2"));

        // The same study again, elsewhere and two units at a time: the same numbers.
        var again = TinyStudy.Run(Study(second, "--RlSeeds=1,2", "--Run:Parallel=2"));
        foreach (var (unit, repeat) in result.Seeds.Zip(again.Seeds))
        {
            Assert.Equal((unit.Seed, unit.RlSeed), (repeat.Seed, repeat.RlSeed));
            foreach (var (arm, armAgain) in unit.Arms.Zip(repeat.Arms))
            {
                Assert.Equal(File.ReadAllBytes(arm.ModelPath), File.ReadAllBytes(armAgain.ModelPath));
                Assert.Equal(arm.Evaluation.PerProblem.Select(p => p.Correct), armAgain.Evaluation.PerProblem.Select(p => p.Correct));
            }
        }

        // A rerun reuses every run: nothing is written again.
        var written = Directory.GetFiles(Path.Combine(first, "study"), RunPaths.ModelFile, SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        TinyStudy.Run(Study(first, "--RlSeeds=1,2"));
        Assert.Equal(10, written.Count);
        Assert.All(written, w => Assert.Equal(w.Value, File.GetLastWriteTimeUtc(w.Key)));

        // The run index lists each RL run as its own run of its seed.
        using var index = new RunIndex(first);
        index.Sync();
        Assert.Equal(new (int, int?)[] { (1, 1), (1, 2), (2, 1), (2, 2) }, index.Runs(new RunFilter(Arm: "grpo")).Select(e => (e.Run.Seed, e.Run.RlSeed)));
        Assert.Equal(new (int, int?)[] { (1, null), (2, null) }, index.Runs(new RunFilter(Arm: "base")).Select(e => (e.Run.Seed, e.Run.RlSeed)));
    }

    [Fact]
    public void WithoutRlSeedsARunIsWhereAndWhatItWasAndAddingThemLaterKeepsTheBase()
    {
        string[] plain = [.. Study(_root).Where(o => o != "--Seeds=1,2" && !o.StartsWith("--Arms:more", StringComparison.Ordinal))];
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = plain });
        using (var arm = builder.BuildRun("grpo", 1))
        {
            var configuration = arm.Services.GetRequiredService<IConfiguration>();
            Assert.Equal(Folder(_root, "grpo", "seed-1"), RunPaths.RunFolder(configuration, "grpo"));
            // The arm's fingerprint is its configuration with Run:Seed, as it always was: no key about RL seeds.
            var expected = new ConfigurationBuilder().AddConfiguration(RlvrHostBuilder.ArmConfiguration(builder.Configuration, "grpo"))
                .AddInMemoryCollection([new("Run:Seed", "1")]).Build();
            Assert.Equal(RunFingerprint.Of(expected), RunFingerprint.Of(configuration));
            Assert.DoesNotContain("RlSeed", RunFingerprint.Of(configuration), StringComparison.OrdinalIgnoreCase);
        }

        var result = TinyStudy.Run(plain).Seeds.Single();
        Assert.Null(result.RlSeed);
        Assert.Equal(Folder(_root, "grpo", "seed-1"), result.Arms[0].RunFolder);
        var baseWritten = File.GetLastWriteTimeUtc(result.Base.ModelPath);
        byte[] plainArm = Model(_root, "grpo", "seed-1");

        // RlSeeds added to the finished study: its base is reused, the plain arm run stays as it was, and each RL seed runs beside it.
        var nested = TinyStudy.Run([.. plain, "--RlSeeds=1,2"]);
        Assert.Equal(baseWritten, File.GetLastWriteTimeUtc(nested.Seeds[0].Base.ModelPath));
        Assert.Equal(["seed-1", "seed-1-rl-1", "seed-1-rl-2"], Runs(_root, "grpo"));
        Assert.Equal(plainArm, Model(_root, "grpo", "seed-1"));
    }

    private static string[] Runs(string runRoot, string arm) =>
        [.. Directory.GetDirectories(Path.Combine(runRoot, "study", arm)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static byte[] Model(string runRoot, string arm, string run) => File.ReadAllBytes(Path.Combine(Folder(runRoot, arm, run), RunPaths.ModelFile));
}

[CollectionDefinition(nameof(RlSeedsTests), DisableParallelization = true)]
public sealed class RlSeedsCollection;
