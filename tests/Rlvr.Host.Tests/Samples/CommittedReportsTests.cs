// Each committed report under docs/results/ is what its sample's command produced. A report embeds its base run's
// config.json (section 9, Run:RunRoot left out); this builds that run's host from the study file and the overrides the
// sample's README gives, as `rlvr run` does, and asks for the same configuration. A study file edited after its report
// was written fails here until the study is rerun and its report committed again.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Configuration;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Samples;

public sealed partial class CommittedReportsTests
{
    // (study file, the README's overrides, report folder under docs/results/)
    public static TheoryData<string, string[], string> Reports => new()
    {
        { "Samples/Crossover/study.json", [], "crossover" },
        { "Samples/EdgeOfCompetence/study.json", ["--Run:Base=hard-0"], "edge-of-competence/hard-0" },
        { "Samples/EdgeOfCompetence/study.json", ["--Run:Base=hard-0.1"], "edge-of-competence/hard-0.1" },
        { "Samples/EdgeOfCompetence/study.json", ["--Run:Base=hard-1"], "edge-of-competence/hard-1" },
        { "Samples/EdgeOfCompetence/study.json", ["--Run:Base=hard-10"], "edge-of-competence/hard-10" },
        { "Samples/EdgeOfCompetence/study.json", ["--Run:Base=trunk"], "edge-of-competence/trunk" },
        { "Samples/ProcessReward/study.json", [], "process-reward" },
        { "Samples/AlgorithmZoo/study.json", [], "algorithm-zoo" },
        { "Samples/RaisingTheCeiling/study.json", ["--Run:Base=looped"], "raising-the-ceiling/looped" },
        { "Samples/RaisingTheCeiling/study.json", ["--Run:Base=tool"], "raising-the-ceiling/tool" },
        { "Samples/RaisingTheCeiling/study.json", ["--Run:Base=transformer"], "raising-the-ceiling/transformer" },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public void TheCommittedReportWasWrittenFromTheStudyFileAsItStands(string studyFile, string[] overrides, string reportFolder)
    {
        string report = File.ReadAllText(Path.Combine(Repository.Root, "docs", "results", reportFolder, "report.md"));
        var match = BaseConfiguration().Match(report);
        Assert.True(match.Success, $"docs/results/{reportFolder}/report.md has no base configuration block (section 9).");
        var committed = Flatten(match.Groups["json"].Value);

        // The configuration the base run of that seed sees, as PipelineRunner writes it to config.json.
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { ConfigFile = Path.Combine(Repository.Root, studyFile), Overrides = overrides });
        using var logger = builder.Logger;
        using var baseRun = builder.BuildRun(arm: null, int.Parse(match.Groups["seed"].Value));
        var written = JsonNode.Parse(ConfigurationJson.Serialize(baseRun.Services.GetRequiredService<IConfiguration>()))!;
        (written["Run"] as JsonObject)?.Remove("RunRoot");
        var expected = Flatten(written.ToJsonString());

        Assert.True(expected.SequenceEqual(committed),
            $"docs/results/{reportFolder}/report.md was written from another configuration than {studyFile} gives now; rerun the study and commit its report.\n" +
            $"now:\n{string.Join("\n", expected)}\nin the report:\n{string.Join("\n", committed)}");
    }

    // The configuration as the configuration system reads the JSON back: a written number or boolean and the string it
    // came from read the same, so a report written before config.json was typed still compares.
    private static List<KeyValuePair<string, string?>> Flatten(string json) =>
        [.. new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build()
            .AsEnumerable().Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal)];

    [GeneratedRegex(@"### Base configuration \(base/seed-(?<seed>\d+)/config\.json\)\s+(?:[^`\n]+\s+)?```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex BaseConfiguration();
}
