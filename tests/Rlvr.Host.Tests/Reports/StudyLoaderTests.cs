using System.Text.Json.Nodes;
using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

public sealed class StudyLoaderTests
{
    [Fact]
    public void ReadsEveryRunFolderAndPairsArmsWithTheBaseOfTheirSeed()
    {
        using var study = new FakeStudy()
            .Run("base", 1, Evaluated(Counts("a", 4, 1)), metrics: ["""{"stage":"eval","step":1,"time":2.0,"pass@1":0.25}"""])
            .Run("grpo", 1, Evaluated(Counts("a", 4, 2)), """{"Run":{"Seed":"1"}}""", FakeStudy.Train(1, 0.5, 0.2), FakeStudy.Train(1, 0.6, 0.2), "{\"stage\":\"tr")
            .Run("grpo", 2, Evaluated(Counts("a", 4, 3)));
        Directory.CreateDirectory(Path.Combine(study.Folder, "sft", "seed-1"));   // started, not evaluated
        Directory.CreateDirectory(Path.Combine(study.Folder, StudyReport.FigureFolder));

        var data = StudyLoader.Load(study.Folder);
        Assert.Equal("fake-study", data.Name);
        Assert.Equal(["base", "grpo", "sft"], data.Arms);
        Assert.Equal(["sft"], data.Unevaluated.Select(r => r.Arm));
        Assert.Equal([1], data.Pairs("grpo").Select(p => p.Seed));   // seed 2 has no base
        var grpo = data.Evaluated("grpo")[0];
        var step = Assert.Single(grpo.Metrics);                       // the rerun's line wins; the cut-off line is skipped
        Assert.Equal(0.6, step.Values["reward_mean"]);
        Assert.True(double.IsNaN(step.Values["zero_std_groups"]));
        Assert.Equal("1", grpo.Config!["Run"]!["Seed"]!.GetValue<string>());
    }

    [Fact]
    public void AMissingFolderOrAnEmptyOneSaysSo()
    {
        Assert.Throws<DirectoryNotFoundException>(() => StudyLoader.Load(Path.Combine(Path.GetTempPath(), "rlvr-no-such-study")));
        using var empty = new FakeStudy();
        Directory.CreateDirectory(empty.Folder);
        Assert.Throws<InvalidDataException>(() => StudyLoader.Load(empty.Folder));
    }

    [Fact]
    public void AnArmsConfigDiffersFromTheBaseByItsOwnKeysOnly()
    {
        var baseConfig = JsonNode.Parse("""{"Evaluation":{"Samples":"256"},"Arms":{"a":{"Evaluation":{"Samples":"64"}}},"Run":{"Seed":"1"}}""");
        var armConfig = JsonNode.Parse("""{"Evaluation":{"Samples":"64"},"Arms":{"b":{}},"Components":{"Rewards":["process"]},"Run":{"Seed":"1"}}""");
        Assert.Equal(["Components:Rewards:0:  -> process", "Evaluation:Samples: 256 -> 64"],
            ConfigDiff.Diff(baseConfig, armConfig).Select(d => $"{d.Key}: {d.Base} -> {d.Arm}"));
    }
}
