using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;

namespace Rlvr.Host.Tests.Configuration;

/// <summary>Command-line overrides of lists, and config.json written with JSON's types.</summary>
public sealed class OverrideTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rlvr-overrides-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string json)
    {
        string path = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    private IReadOnlyList<int> Seeds(string? json, params string[] overrides) =>
        RlvrHostBuilder.Seeds(RlvrConfiguration.Build(json is null ? null : File(json), overrides));

    [Fact]
    public void AListOverrideReplacesTheFilesListWhole()
    {
        const string study = """{ "Seeds": [1, 2, 3] }""";
        Assert.Equal([2], Seeds(study, "--Seeds=2"));                 // was ignored: the list stayed [1, 2, 3]
        Assert.Equal([4, 5], Seeds(study, "--Seeds=4, 5"));
        Assert.Equal([4, 5], Seeds(study, "--Seeds", "4,5"));
        Assert.Equal([1, 7, 3], Seeds(study, "--Seeds:1=7"));            // one item, as before
        Assert.Equal([1], Seeds(study, "--Seeds:0=1", "--Seeds=1"));      // the later override wins, whole
        var repeated = Assert.Throws<ConfigurationErrorsException>(() => Seeds(study, "--Seeds:0=1", "--Seeds:1=1"));
        Assert.Contains("Seeds: [1, 1, 3] repeats a seed; on the command line --Seeds=1,2,3 sets the list whole", repeated.Message);
        Assert.Equal([1], Seeds(study, "--Seeds="));                     // no list: Run:Seed
        Assert.Equal([1, 2, 3], Seeds(null, "--Seeds=1,2,3"));            // a list where the file has none
    }

    [Fact]
    public void RlSeedsAreAListLikeSeedsAndAbsentMeansOneRunPerBaseSeed()
    {
        IReadOnlyList<int?> RlSeeds(string? json, params string[] overrides) =>
            RlvrHostBuilder.RlSeeds(RlvrConfiguration.Build(json is null ? null : File(json), overrides));
        Assert.Equal([null], RlSeeds(null));                                          // absent: one RL run, seeded as without the key
        Assert.Equal([1, 2, 3], RlSeeds(null, "--RlSeeds=1,2,3"));
        Assert.Equal([4], RlSeeds("""{ "RlSeeds": [1, 2] }""", "--RlSeeds=4"));
        Assert.Equal([0, 7], RlSeeds("""{ "RlSeeds": [0, 7] }"""));
        Assert.Equal([1], Seeds("""{ "RlSeeds": [5, 6] }"""));                        // the base seeds are their own list
    }

    [Theory]
    [InlineData("""{ "RlSeeds": [] }""", "RlSeeds: the list is empty; list the seeds, e.g. [1, 2, 3], or leave RlSeeds out for one RL run per base seed")]
    [InlineData("""{ "RlSeeds": 3 }""", "RlSeeds: '3' is not a list; list the seeds, e.g. [1, 2, 3], or leave RlSeeds out for one RL run per base seed")]
    [InlineData("""{ "RlSeeds": [1, -2] }""", "RlSeeds: '-2' is not a seed; use non-negative integers, e.g. [1, 2, 3]")]
    [InlineData("""{ "RlSeeds": [1, "x"] }""", "RlSeeds: 'x' is not a seed; use non-negative integers, e.g. [1, 2, 3]")]
    [InlineData("""{ "RlSeeds": [2, 2] }""", "RlSeeds: [2, 2] repeats a seed; on the command line --RlSeeds=1,2,3 sets the list whole")]
    public void BadRlSeedsAreAnErrorNamingTheKey(string json, string expected)
    {
        var e = Assert.Throws<ConfigurationErrorsException>(() => RlvrHostBuilder.RlSeeds(RlvrConfiguration.Build(File(json), [])));
        Assert.Equal(expected, Assert.Single(e.Errors));
    }

    [Fact]
    public void ACommaInAScalarTheFileHoldsStaysAString()
    {
        var configuration = RlvrConfiguration.Build(File("""{ "Run": { "Name": "a,b" } }"""), ["--Run:Name=c,d"]);
        Assert.Equal("c,d", configuration["Run:Name"]);
        Assert.Null(configuration["Run:Name:0"]);
    }

    [Fact]
    public void AValueForASectionIsAnErrorNotIgnored()
    {
        var e = Assert.Throws<ConfigurationErrorsException>(() =>
            RlvrConfiguration.Build(File("""{ "Models": { "Transformer": { "Layers": 2 } } }"""), ["--Models:Transformer=8"]));
        Assert.Contains("'--Models:Transformer=8': Models:Transformer is a section, not a value", e.Message);
    }

    [Fact]
    public void ConfigJsonIsTypedAndReadsBackToTheSameConfiguration()
    {
        var configuration = RlvrConfiguration.Build(
            File("""{ "Algorithms": { "Grpo": { "GroupSize": 8, "LearningRate": 1e-4, "Clip": -0.5 } }, "Run": { "Reuse": true, "Name": "007" }, "Seeds": [1, 2] }"""),
            ["--Pretrain:Packing=true", "--Run:Device=cpu"]);

        string json = ConfigurationJson.Serialize(configuration);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Number, root.GetProperty("Algorithms").GetProperty("Grpo").GetProperty("GroupSize").ValueKind);
        Assert.Equal("1e-4", root.GetProperty("Algorithms").GetProperty("Grpo").GetProperty("LearningRate").GetRawText());
        Assert.Equal(-0.5, root.GetProperty("Algorithms").GetProperty("Grpo").GetProperty("Clip").GetDouble());
        Assert.Equal(JsonValueKind.True, root.GetProperty("Run").GetProperty("Reuse").ValueKind);
        Assert.Equal("007", root.GetProperty("Run").GetProperty("Name").GetString());
        Assert.Equal("cpu", root.GetProperty("Run").GetProperty("Device").GetString());
        Assert.Equal(1, root.GetProperty("Seeds")[0].GetInt32());

        // Resume and reuse read config.json and study.json back: every value, and so every fingerprint, is unchanged.
        var readBack = new ConfigurationBuilder().AddJsonFile(File(json)).Build();
        Assert.Equal(configuration.AsEnumerable().Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal),
                     readBack.AsEnumerable().Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(RunFingerprint.Of(configuration), RunFingerprint.Of(readBack));
    }
}
