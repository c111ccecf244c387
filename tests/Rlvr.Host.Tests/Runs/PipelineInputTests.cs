using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;

namespace Rlvr.Host.Tests.Runs;

/// <summary>Bad input to a run gives a clear error naming the key, before any compute.</summary>
public sealed class PipelineInputTests
{
    private static readonly string[] s_components =
        ["--Components:Model=transformer", "--Components:Tokenizer=char", "--Components:Task=arithmetic", "--Components:Verifier=arithmetic"];

    private static IReadOnlyList<string> Validate(params string[] overrides)
    {
        using var host = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = [.. s_components, .. overrides] }).Build();
        return host.Services.GetRequiredService<ConfigurationValidator>().Validate();
    }

    [Fact]
    public void TheRepositoryComponentsAreValidTogether() => Assert.Empty(Validate());

    [Fact]
    public void DifficultyOutOfRangeNamesTheKey()
    {
        var error = Assert.Single(Validate("--Tasks:Arithmetic:MaxDifficulty=99"));
        Assert.StartsWith("Tasks:Arithmetic:MaxDifficulty = '99'", error);
    }

    [Fact]
    public void UnknownComponentNameNamesTheKeyAndTheKnownNames()
    {
        var error = Assert.Single(Validate("--Components:Model=gpt5"));
        Assert.Equal("Components:Model = 'gpt5': no model architecture is registered as 'gpt5'; known: llama, looped-transformer, transformer", error);
    }

    [Fact]
    public void ContextShorterThanTheLongestProblemIsRefusedBeforeTraining()
    {
        string root = Directory.CreateTempSubdirectory("rlvr-run-").FullName;
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings
        {
            Overrides = [.. s_components, "--Models:Transformer:ContextLength=40", "--Tasks:Arithmetic:MaxDifficulty=6", $"--Run:RunRoot={root}"],
        });
        using var host = builder.Build();
        Assert.Empty(host.Services.GetRequiredService<ConfigurationValidator>().Validate());   // every option is valid on its own

        var e = Assert.Throws<ConfigurationErrorsException>(() => new StudyRunner(builder).Run(host));
        Assert.StartsWith("Models:Transformer:ContextLength: the model's context of 40 tokens is shorter than the longest problem, which needs", e.Message);
        Assert.False(File.Exists(Path.Combine(RunPaths.RunFolder(builder.Configuration), "model.bin")));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void RunWithoutAModelSaysWhichComponentIsMissing()
    {
        using var host = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = ["--Components:Tokenizer=char"] }).Build();
        var e = Assert.Throws<ConfigurationErrorsException>(() => host.Services.GetRequiredService<PipelineRunner>().Run());
        Assert.Contains("Components:Model: required to run", e.Message);
        Assert.Contains("Components:Task: required to run", e.Message);
    }
}
