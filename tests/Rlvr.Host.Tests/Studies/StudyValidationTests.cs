using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Studies;

/// <summary>What `rlvr validate` must catch so that `rlvr run` never refuses it after compute: names that become paths, bands, context, seeds.</summary>
public sealed class StudyValidationTests
{
    private static RlvrHostBuilder Builder(string? file, params string[] overrides) =>
        RlvrHostBuilder.Create(new RlvrHostSettings { ConfigFile = file, Overrides = [.. TinyStudy.Overrides(Path.GetTempPath()), .. overrides] });

    private static IReadOnlyList<string> Validate(params string[] overrides) => ValidateFile(null, overrides);

    private static IReadOnlyList<string> ValidateFile(string? file, params string[] overrides)
    {
        var builder = Builder(file, overrides);
        using var root = builder.Build();
        return new StudyRunner(builder).Validate(root);
    }

    private static string WriteStudy(string json)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("rlvr-study-file-").FullName, "study.json");
        File.WriteAllText(file, json);
        return file;
    }

    [Fact]
    public void TheTinyStudyIsValid() => Assert.Empty(Validate("--Arms:grpo:Components:Algorithm=grpo"));

    [Theory]
    [InlineData("../../armesc")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("logs")]
    [InlineData("report")]
    [InlineData("study.json")]
    [InlineData("Base")]
    public void AnArmNameThatLeavesItsFolderOrTakesOneOfTheStudysOwnIsAnError(string arm)
    {
        string file = WriteStudy($$"""{ "Arms": { "{{arm}}": { "Components": { "Algorithm": "grpo" } } } }""");
        var errors = ValidateFile(file);
        Assert.Contains(errors, e => e.StartsWith($"Arms:{arm}: ", StringComparison.Ordinal));
    }

    [Fact]
    public void RunRefusesAnEscapingArmBeforeWritingAnything()
    {
        string outside = Directory.CreateTempSubdirectory("rlvr-escape-").FullName;
        string root = Path.Combine(outside, "runs");
        try
        {
            var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = [.. TinyStudy.Overrides(root), "--Arms:../../armesc:Components:Algorithm=sft", "--Train:Steps=1"] });
            using var host = builder.Build();
            var error = Assert.Throws<ConfigurationErrorsException>(() => new StudyRunner(builder).Run(host));
            Assert.Contains(error.Errors, e => e.StartsWith("Arms:../../armesc: ", StringComparison.Ordinal));
            Assert.Empty(Directory.GetFileSystemEntries(outside));                  // no run folder, no index, no study folder
            Assert.Throws<ConfigurationErrorsException>(() => RunPaths.RunFolder(builder.Configuration, "../../armesc"));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Theory]
    [InlineData("9", "2..2")]     // the tiny task has difficulties 2..2
    [InlineData("1", "2..2")]
    public void ATrainingBandOutsideTheTaskIsAValidationErrorOfThatArm(string max, string task)
    {
        var errors = Validate("--Arms:wide:Components:Algorithm=grpo", $"--Arms:wide:Train:MaxDifficulty={max}", "--Arms:fine:Components:Algorithm=grpo");
        var error = Assert.Single(errors);
        Assert.StartsWith("Arms:wide → Train:MaxDifficulty", error);
        Assert.Contains(task, error);
    }

    [Fact]
    public void RunRefusesABadBandBeforePretraining()
    {
        string root = Directory.CreateTempSubdirectory("rlvr-band-").FullName;
        try
        {
            var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = [.. TinyStudy.Overrides(root), "--Arms:a:Components:Algorithm=sft", "--Arms:a:Train:MaxDifficulty=9"] });
            using var host = builder.Build();
            Assert.Throws<ConfigurationErrorsException>(() => new StudyRunner(builder).Run(host));
            Assert.False(Directory.Exists(Path.Combine(root, "study", RunPaths.BaseArm)), "the base was computed before the arm's band was checked");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void AnArmWithoutAnAlgorithmIsAValidationError()
    {
        var error = Assert.Single(Validate("--Arms:idle:Train:Steps=3", "--Arms:fine:Components:Algorithm=grpo"));
        Assert.StartsWith("Arms:idle → Components:Algorithm: required for an arm", error);
        var errors = Validate("--Arms:idle:Train:Steps=-3");                       // listed beside the arm's other errors
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Arms:idle → Components:Algorithm: required for an arm", StringComparison.Ordinal));
    }

    [Fact]
    public void ACompletionBudgetBeyondWhatTheContextLeavesIsAValidationErrorOfThatArm()
    {
        var error = Assert.Single(Validate("--Arms:long:Components:Algorithm=grpo", "--Arms:long:Rollout:MaxNewTokens=100", "--Arms:fine:Components:Algorithm=grpo"));
        Assert.StartsWith("Arms:long → Rollout:MaxNewTokens = 100: the longest prompt takes", error);
        Assert.Empty(Validate("--Arms:short:Components:Algorithm=grpo", "--Arms:short:Rollout:MaxNewTokens=8"));
    }

    [Fact]
    public void AContextTooShortForTheTaskIsAValidationErrorNamingTheKey()
    {
        var error = Assert.Single(Validate("--Models:Transformer:ContextLength=8"));
        Assert.StartsWith("Models:Transformer:ContextLength: the model's context of 8 tokens is shorter than the longest problem", error);
    }

    [Fact]
    public void AMisspelledRewardWeightIsAnErrorListingTheKnownRewards()
    {
        var error = Assert.Single(Validate("--Rollout:RewardWeights:termnal=0.5", "--Rollout:RewardWeights:terminal=1"));
        Assert.StartsWith("Rollout:RewardWeights:termnal: no reward is registered as 'termnal'; known: ", error);
        Assert.Contains("terminal", error[error.IndexOf("known", StringComparison.Ordinal)..]);
    }

    [Theory]
    [InlineData("""{ "Seeds": [] }""")]
    [InlineData("""{ "Seeds": 3 }""")]
    public void AnEmptyOrScalarSeedsIsAnErrorNamingSeeds(string json)
    {
        var error = Assert.Single(ValidateFile(WriteStudy(json)));
        Assert.StartsWith("Seeds: ", error);
    }

    [Fact]
    public void BadRlSeedsAreAValidationErrorNamingRlSeeds()
    {
        var error = Assert.Single(ValidateFile(WriteStudy("""{ "RlSeeds": [1, 1] }"""), "--Arms:grpo:Components:Algorithm=grpo"));
        Assert.StartsWith("RlSeeds: [1, 1] repeats a seed", error);
    }

    [Fact]
    public void AnArmsListReplacesTheBaseListWhole()
    {
        string file = WriteStudy("""
            {
              "Components": { "Rewards": [ "terminal", "strict" ] },
              "Curricula": { "Mixture": { "Bands": [ { "Min": 2, "Max": 2 }, { "Min": 2, "Max": 2 }, { "Min": 2, "Max": 2, "Weight": 5 } ] } },
              "Arms": {
                "two": { "Components": { "Algorithm": "grpo", "Rewards": [ "process" ] }, "Curricula": { "Mixture": { "Bands": [ { "Min": 2, "Max": 2 }, { "Min": 2, "Max": 2 } ] } } },
                "none": { "Components": { "Algorithm": "grpo", "Rewards": [] } },
                "same": { "Components": { "Algorithm": "grpo" } }
              }
            }
            """);
        var builder = Builder(file);
        var two = RlvrHostBuilder.ArmConfiguration(builder.Configuration, "two");
        Assert.Equal(["0", "1"], two.GetSection("Curricula:Mixture:Bands").GetChildren().Select(c => c.Key));
        Assert.Equal(["process"], two.GetSection("Components:Rewards").GetChildren().Select(c => c.Value));
        Assert.Empty(RlvrHostBuilder.ArmConfiguration(builder.Configuration, "none").GetSection("Components:Rewards").GetChildren());
        using (var none = builder.BuildArm("none"))
            Assert.Empty(none.Services.GetRequiredService<IOptions<ComponentSelection>>().Value.Rewards);
        var same = RlvrHostBuilder.ArmConfiguration(builder.Configuration, "same");
        Assert.Equal(3, same.GetSection("Curricula:Mixture:Bands").GetChildren().Count());
        Assert.Equal("5", same["Curricula:Mixture:Bands:2:Weight"]);
        Assert.Equal(["terminal", "strict"], same.GetSection("Components:Rewards").GetChildren().Select(c => c.Value));
    }
}
