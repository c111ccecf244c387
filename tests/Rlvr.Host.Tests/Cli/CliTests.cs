using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Cli;

/// <summary>The real rlvr command, run as a child process.</summary>
[Collection(ExternalPluginsCollection.Name)]
public sealed class CliTests(ExternalPluginsFixture external)
{
    private static ProcessRunner.Result Rlvr(string[] arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.Dotnet([Repository.CliAssembly, .. arguments], Repository.Root, TimeSpan.FromMinutes(2), environment);

    private string WriteConfig(string json)
    {
        string file = Path.Combine(external.Root, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        return file;
    }

    [Fact]
    public void PluginsListsTheRepositoryPluginsThenEveryFailureWithItsReason()
    {
        var result = Rlvr(["plugins", "--plugins", external.Plugins]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Rlvr.Plugins.CharTokenizer 0.1.0", result.Output);
        Assert.Matches(@"tokenizer\s+char", result.Output);
        Assert.Matches(@"model architecture\s+bigram\s+\[Models:Bigram\]", result.Output);
        int failed = result.Output.IndexOf("Failed:", StringComparison.Ordinal);
        Assert.True(failed > 0, result.ToString());
        foreach (string name in new[] { "Corrupt", "Empty", "ThrowingPlugin", "FuturePlugin", "CharTokenizerCopy" })
            Assert.True(result.Output.IndexOf(name, failed, StringComparison.Ordinal) > 0, $"{name} missing from the failures:\n{result}");
    }

    [Fact]
    public void PluginsExitsNonZeroOnFailuresOnlyWhenStrict()
    {
        Assert.Equal(1, Rlvr(["plugins", "--strict", "--plugins", external.Plugins]).ExitCode);
        Assert.Equal(0, Rlvr(["plugins", "--strict", "--plugins", external.Bigram]).ExitCode);
    }

    [Fact]
    public void ValidateListsEveryErrorWithItsConfigPath()
    {
        string config = WriteConfig("""{ "Components": { "Model": "bigram", "Tokenizer": "chr" }, "Models": { "Bigram": { "InitStd": -1 } } }""");

        var result = Rlvr(["validate", config, "--plugins", external.Bigram]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("2 configuration error(s)", result.Error);
        Assert.Contains("Components:Tokenizer = 'chr': no tokenizer is registered as 'chr'; known: char", result.Error);
        Assert.Contains("Models:Bigram:InitStd = '-1'", result.Error);
    }

    [Fact]
    public void ValidateReadsEnvironmentVariablesAndCommandLineOverrides()
    {
        string config = WriteConfig("""{ "Components": { "Model": "bigram", "Tokenizer": "char" } }""");
        var badEnvironment = new Dictionary<string, string> { ["RLVR_Models__Bigram__InitStd"] = "-1" };

        var fromEnvironment = Rlvr(["validate", config, "--plugins", external.Bigram], badEnvironment);
        Assert.True(fromEnvironment.ExitCode == 1, fromEnvironment.ToString());
        Assert.Contains("Models:Bigram:InitStd = '-1'", fromEnvironment.Error);

        var overridden = Rlvr(["validate", config, "--plugins", external.Bigram, "--Models:Bigram:InitStd=0.1"], badEnvironment);
        Assert.True(overridden.ExitCode == 0, overridden.ToString());
        Assert.Contains("is valid", overridden.Output);
    }

    [Fact]
    public void AStudyWithAFailedRunListsItWithoutAStackTraceExitsWithOneAndTheNextRunFinishesIt()
    {
        string root = Path.Combine(external.Root, $"runs-{Guid.NewGuid():N}");
        string[] study = ["run", WriteConfig("{}"), .. TinyStudy.Overrides(root), "--Train:Steps=1", "--Arms:sft:Components:Algorithm=sft"];
        Assert.True(Rlvr(study).ExitCode == 0);
        string baseFolder = Path.Combine(root, "study", "base", "seed-1");
        byte[] weights = File.ReadAllBytes(Path.Combine(baseFolder, "model.bin")), record = File.ReadAllBytes(Path.Combine(baseFolder, "base.json"));
        TinyStudy.ReplaceBaseModel(baseFolder, "not a model");                    // the arm's start changed: it runs again, and fails

        var failed = Rlvr(study);
        Assert.True(failed.ExitCode == 1, failed.ToString());
        string summary = failed.Error[failed.Error.LastIndexOf("error: ", StringComparison.Ordinal)..];   // the log above it keeps the trace
        Assert.StartsWith("error: 1 run(s) of the study did not finish", summary);
        Assert.Contains("sft seed 1: ", summary);
        Assert.DoesNotContain("   at ", summary);

        File.WriteAllBytes(Path.Combine(baseFolder, "model.bin"), weights);
        File.WriteAllBytes(Path.Combine(baseFolder, "base.json"), record);
        var again = Rlvr(study);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Reusing the base run", again.Output + again.Error);
    }

    [Fact]
    public void ParallelTasksRunInWorkerProcessesAndGiveTheNumbersOfOneProcess()
    {
        string config = WriteConfig("""{ "Seeds": [1, 2], "Arms": { "sft": { "Components": { "Algorithm": "sft" } }, "grpo": { "Components": { "Algorithm": "grpo" }, "Train": { "From": "sft" } } } }""");
        string Study(string root, int parallel)
        {
            var result = Rlvr(["run", config, .. TinyStudy.Overrides(root), "--Train:Steps=2", "--parallel", $"{parallel}"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output;
        }
        string one = Path.Combine(external.Root, $"runs-{Guid.NewGuid():N}"), workers = Path.Combine(external.Root, $"runs-{Guid.NewGuid():N}");
        Study(one, parallel: 1);
        string output = Study(workers, parallel: 3);

        Assert.Contains("in up to 3 worker processes", output);
        string paired = output[output.IndexOf("paired differences d = arm - base", StringComparison.Ordinal)..];
        Assert.Matches(@"\n  grpo\s+[+-]\d\.\d{3} [+-]\d\.\d{3} \(mean [+-]\d\.\d{3}\)", paired);   // one d a seed, then their mean
        var tasks = Directory.GetFiles(Path.Combine(workers, "study", "logs"), "task-*.out").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["task-0.out", "task-1.out", "task-2.out", "task-3.out"], tasks);           // 2 seeds x 2 arms, one process each
        Assert.DoesNotContain("resumes the rest", output);                                       // every worker finished its task
        foreach (string run in new[] { "base/seed-1", "base/seed-2", "sft/seed-1", "sft/seed-2", "grpo/seed-1", "grpo/seed-2" })
            Assert.Equal(Evaluation(Path.Combine(one, "study", run)), Evaluation(Path.Combine(workers, "study", run)));
        Assert.True(File.Exists(Path.Combine(workers, "study", "report.md")));

        // Every count and interval; the sampling speed is the machine's.
        static string Evaluation(string run)
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")))!.AsObject();
            json.Remove("SamplesPerSecond");
            return json.ToJsonString();
        }
    }

    [Fact]
    public void AStudyWithBasesRunsEachBaseAsAStudyOfItsOwnAndReportsThemSideBySide()
    {
        string config = WriteConfig("""
            { "Seeds": [1], "Arms": { "grpo": { "Components": { "Algorithm": "grpo" } } },
              "Bases": { "clean": { "Pretrain": { "StepError": 0 } }, "noisy": { "Pretrain": { "StepError": 0.5 }, "Seeds": [2] } },
              "DoseResponse": { "MaxDifficulty": 2 } }
            """);
        string root = Path.Combine(external.Root, $"runs-{Guid.NewGuid():N}"), study = Path.Combine(root, "study");
        string[] tiny = [.. TinyStudy.Overrides(root), "--Train:Steps=2"];

        var valid = Rlvr(["validate", config, .. tiny]);
        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Contains("2 bases (clean, noisy)", valid.Output);
        var unknown = Rlvr(["run", config, .. tiny, "--Run:Base=other"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Run:Base = 'other': no such base; the study's bases: clean, noisy", unknown.Error);
        var reference = Rlvr(["run", config, .. tiny, "--DoseResponse:Reference=other"]);
        Assert.NotEqual(0, reference.ExitCode);
        Assert.Contains("DoseResponse:Reference = 'other': no such base; the study's bases: clean, noisy", reference.Error);
        var task = Rlvr(["run", config, .. tiny, "--index", "0"]);
        Assert.Equal(2, task.ExitCode);
        Assert.Contains("--Run:Base=<base>", task.Error);
        Assert.False(Directory.Exists(root));                                        // refused before anything is written

        var run = Rlvr(["run", config, .. tiny]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Dose-response report:", run.Output);
        // Each base is a study of its own, with its own keys laid over the study's, a list replaced whole.
        foreach (var (name, seed, stepError) in new[] { ("clean", 1, "0"), ("noisy", 2, "0.5") })
        {
            foreach (string arm in new[] { "base", "grpo" })
                Assert.True(File.Exists(Path.Combine(study, name, arm, $"seed-{seed}", "evaluation.json")), $"{name}/{arm}/seed-{seed}");
            var saved = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(study, name, "study.json")))!;
            Assert.Equal(name, saved["Run"]!["Base"]!.GetValue<string>());
            Assert.Null(saved["Bases"]);
            Assert.Equal(stepError, saved["Pretrain"]!["StepError"]!.ToJsonString());
            Assert.True(File.Exists(Path.Combine(study, name, "report.md")));
        }
        Assert.False(Directory.Exists(Path.Combine(study, "noisy", "base", "seed-1")));
        string report = File.ReadAllText(Path.Combine(study, "report.md"));
        Assert.Contains("# Dose-response report: study", report);
        Assert.Contains("| clean | grpo |", report);
        Assert.Contains("| noisy | grpo |", report);
        Assert.True(File.Exists(Path.Combine(study, "report", "dose-response.png")));

        // Resumed from any run folder, and reported from the study's folder, each base stays its own study.
        var resumed = Rlvr(["resume", Path.Combine(study, "noisy", "grpo", "seed-2")]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("reusing the finished run", resumed.Output + File.ReadAllText(Directory.GetFiles(Path.Combine(study, "noisy", "logs"), "*.log")[0]));
        Assert.False(Directory.Exists(Path.Combine(study, "noisy", "noisy")));
        File.Delete(Path.Combine(study, "report.md"));
        var reported = Rlvr(["report", study, "--no-likelihood"]);
        Assert.True(reported.ExitCode == 0, reported.ToString());
        Assert.Contains("# Dose-response report: study", File.ReadAllText(Path.Combine(study, "report.md")));
    }

    /// <summary>
    /// Every study file under Samples/ that runs on the built-in plugins and the repository's files (the third-party
    /// sample needs its own build; RealModel needs a downloaded model and data, and RealModelSampleTests runs it).
    /// </summary>
    public static TheoryData<string> SampleStudies() =>
        [.. Directory.GetFiles(Path.Combine(Repository.Root, "Samples"), "study*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains("ThirdPartyPlugin", StringComparison.Ordinal) && !f.Contains("RealModel", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Repository.Root, f)).Order()];

    [Theory]
    [MemberData(nameof(SampleStudies))]
    public void EverySampleStudyValidates(string study)
    {
        var result = Rlvr(["validate", study]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("is valid", result.Output);
    }

    [Fact]
    public void AnEscapingArmNameIsRefusedByValidateAndByRunBeforeAnyFileIsWritten()
    {
        string outside = Path.Combine(external.Root, $"escape-{Guid.NewGuid():N}");
        string root = Path.Combine(outside, "runs");
        string config = WriteConfig("""{ "Arms": { "../../armesc": { "Components": { "Algorithm": "sft" } } } }""");

        var validated = Rlvr(["validate", config, .. TinyStudy.Overrides(root)]);
        Assert.True(validated.ExitCode == 1, validated.ToString());
        Assert.Contains("Arms:../../armesc: ", validated.Error);

        var run = Rlvr(["run", config, .. TinyStudy.Overrides(root), "--Train:Steps=1"]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Arms:../../armesc: ", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.False(Directory.Exists(Path.Combine(outside, "armesc")), run.ToString());
        Assert.False(File.Exists(Path.Combine(outside, "index.db")), run.ToString());
    }

    [Fact]
    public void MalformedJsonNamesTheFileLineAndColumnWithoutAStackTrace()
    {
        string config = WriteConfig("{\n  \"Train\": { \"Steps\": 3, }\n  \"Seeds\": [1]\n}\n");
        foreach (string verb in new[] { "validate", "run" })
        {
            var result = Rlvr([verb, config]);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains(config, result.Error);
            Assert.Contains("line 3, column 3", result.Error);
            Assert.DoesNotContain("   at ", result.Error);
        }
    }

    [Fact]
    public void MissingConfigFileIsAClearErrorWithoutAStackTrace()
    {
        var result = Rlvr(["validate", Path.Combine(external.Root, "nope.json")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Theory]
    [InlineData("plugins", "--strict", false)]
    [InlineData("validate", "<config>", true)]
    [InlineData("run", "--runs <folder>", true)]
    [InlineData("resume", "<run>", true)]
    [InlineData("submit", "--runs <folder>", true)]
    [InlineData("report", "--runs <folder>", false)]
    [InlineData("runs", "--runs <folder>", false)]
    [InlineData("compare", "--runs <folder>", false)]
    public void EveryVerbHasHelpWithTheOverrideSyntaxOnlyWhereItApplies(string verb, string expected, bool overrides)
    {
        var result = Rlvr([verb, "--help"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(expected, result.Output);
        Assert.Equal(overrides, result.Output.Contains("--Section:Key=value, e.g.", StringComparison.Ordinal));
        Assert.DoesNotContain("Additional Arguments", result.Output);
        string usage = result.Output.Split('\n').SkipWhile(l => !l.StartsWith("Usage:", StringComparison.Ordinal)).Skip(1).First();
        Assert.Equal(usage.Count(c => c == '['), usage.Count(c => c == ']'));
        Assert.Equal(usage.Count(c => c == '<'), usage.Count(c => c == '>'));
    }

    [Theory]
    [InlineData("plugins", "--bogus")]
    [InlineData("validate", "{config}", "--bogus")]
    [InlineData("run", "{config}", "--runs-root", "elsewhere")]
    [InlineData("submit", "{config}", "--backend", "slurm", "--dry-run", "--runs-root", "elsewhere")]
    [InlineData("resume", "{root}", "--bogus")]
    [InlineData("report", "study", "--runs-root", "elsewhere")]
    [InlineData("runs", "--runs-root", "elsewhere")]
    [InlineData("compare", "study", "--runs-root", "elsewhere")]
    public void AnUnknownFlagIsAnErrorThatNamesIt(string verb, params string[] arguments)
    {
        string config = WriteConfig("{}");
        var result = Rlvr([verb, .. arguments.Select(a => a.Replace("{config}", config).Replace("{root}", external.Root))]);

        Assert.True(result.ExitCode != 0, result.ToString());
        string flag = arguments.First(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--backend" && a != "--dry-run");
        Assert.Contains($"'{flag}'", result.Error);
        Assert.False(Directory.Exists(Path.Combine(Repository.Root, "elsewhere")));
    }

    [Theory]
    [InlineData("plugins", "--Run:Seed=1")]
    [InlineData("runs", "--Models:Transformer:Layers=8")]
    [InlineData("compare", "study", "--Seeds=1,2")]
    public void AnOverrideAVerbWouldIgnoreIsAnError(string verb, params string[] arguments)
    {
        var result = Rlvr([verb, .. arguments]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{arguments[^1]}'", result.Error);
        Assert.Contains("takes no configuration overrides", result.Error);
    }

    [Fact]
    public void OneRunsFolderFlagServesEveryVerbAndAListOverrideShortensTheSeeds()
    {
        string root = Path.Combine(external.Root, $"runs-{Guid.NewGuid():N}");
        string study = WriteConfig("""{ "Run": { "Name": "tiny" }, "Seeds": [1, 2, 3] }""");
        string[] tiny = [.. TinyStudy.Overrides(root).Where(o => !o.StartsWith("--Run:RunRoot=", StringComparison.Ordinal))];

        var run = Rlvr(["run", study, .. tiny, "--Seeds=2", "--runs", root]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["seed-2"], Directory.GetDirectories(Path.Combine(root, "tiny", "base")).Select(Path.GetFileName));
        using (var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "tiny", "base", "seed-2", "config.json"))))
            Assert.Equal(1, config.RootElement.GetProperty("Models").GetProperty("Transformer").GetProperty("Layers").GetInt32());

        foreach (string[] flag in new[] { new[] { "--runs", root }, [$"--Run:RunRoot={root}"] })
        {
            var runs = Rlvr(["runs", .. flag]);
            Assert.True(runs.ExitCode == 0, runs.ToString());
            Assert.Matches(@"tiny\s+base\s+2\s+finished", runs.Output);
            var compare = Rlvr(["compare", "tiny", .. flag]);
            Assert.True(compare.ExitCode == 0, compare.ToString());
            Assert.Contains("Study tiny", compare.Output);
            var report = Rlvr(["report", "tiny", "--no-likelihood", .. flag]);
            Assert.True(report.ExitCode == 0, report.ToString());
            Assert.Contains(Path.Combine(root, "tiny", "report.md"), report.Output);
        }
        var again = Rlvr(["run", study, .. tiny, "--Seeds=2", $"--Run:RunRoot={root}"]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Reusing the base run", again.Output + again.Error);

        string seed = Path.Combine(root, "tiny", "base", "seed-2"), exported = Path.Combine(root, "exported");
        var export = Rlvr(["export", seed, "--to", exported]);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains(Path.Combine(exported, "model.safetensors"), export.Output);
        var twice = Rlvr(["export", seed, "--to", exported]);
        Assert.True(twice.ExitCode == 2, twice.ToString());
        Assert.Contains("already holds model.safetensors, config.json, rlvr-tokenizer.json", twice.Error);
    }
}
