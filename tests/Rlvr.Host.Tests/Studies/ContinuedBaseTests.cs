using Microsoft.Extensions.Configuration;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;

namespace Rlvr.Host.Tests.Studies;

/// <summary>Pretrain:From: a base that continues another base's pretrained model (mid-training); and a base without arms.</summary>
public sealed class ContinuedBaseTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-continued-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // In configuration order the continued bases come first ("more", "same", "trunk"): the run order must put the trunk first.
    private const string Study = """
        { "Bases": { "trunk": { "Arms": {} },
                     "same": { "Pretrain": { "From": "trunk", "TokenBudget": 0 } },
                     "more": { "Pretrain": { "From": "trunk", "TokenBudget": 5000, "StepError": 0.5 } } } }
        """;

    private string Write(string json)
    {
        string path = Path.Combine(_root, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private SeedResult Run(string file, string @base, params string[] more)
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings
        {
            ConfigFile = file, Overrides = [.. TinyStudy.WithGrpoArm(_root), $"--Run:Base={@base}", .. more], LogToStudyFolder = true,
        });
        using var host = builder.Build();
        return new StudyRunner(builder).Run(host).Seeds.Single();
    }

    [Fact]
    public void ABaseRunsAfterTheBaseItContinues()
    {
        var configuration = RlvrConfiguration.Build(Write(Study), []);

        Assert.Equal(["more", "same", "trunk"], StudyBases.Names(configuration));
        Assert.Equal(["trunk", "more", "same"], StudyBases.RunOrder(configuration));
    }

    [Theory]
    [InlineData("""{ "Bases": { "a": { "Pretrain": { "From": "b" } } } }""", "Bases:a:Pretrain:From = 'b': no such base; the study's bases: a")]
    [InlineData("""{ "Bases": { "a": { "Pretrain": { "From": "a" } } } }""", "Bases:a:Pretrain:From = 'a': the bases a → a continue each other in a cycle")]
    [InlineData("""{ "Bases": { "a": { "Pretrain": { "From": "b" } }, "b": { "Pretrain": { "From": "a" } } } }""", "Bases:b:Pretrain:From = 'a': the bases b → a → b continue each other in a cycle")]
    [InlineData("""{ "Pretrain": { "From": "a" }, "Bases": { "a": {}, "b": {} } }""", "Bases:a:Pretrain:From = 'a': the bases a → a continue each other in a cycle")]
    [InlineData("""{ "Bases": { "a": {}, "b": { "Pretrain": { "From": "a" }, "Models": { "Transformer": { "Width": 64 } } } } }""", "Bases:b:Pretrain:From = 'a': Models differs from that base's")]
    [InlineData("""{ "Bases": { "a": {}, "b": { "Pretrain": { "From": "A" }, "Evaluation": { "Problems": 7 } } } }""", "Bases:b:Pretrain:From = 'A': Evaluation:Problems differs from that base's")]
    [InlineData("""{ "Pretrain": { "From": "a" } }""", "Pretrain:From = 'a': only a base of a study with Bases can continue another base")]
    public void AFromThatCannotBeContinuedIsAnErrorNamingTheKey(string json, string expected)
    {
        var error = Assert.Throws<ConfigurationErrorsException>(() => RlvrConfiguration.Build(Write(json), []));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AnEmptyArmsSectionGivesABaseNoArmsAndOtherBasesKeepThem()
    {
        string file = Write(Study);
        var trunk = RlvrConfiguration.Build(file, ["--Arms:grpo:Components:Algorithm=grpo", "--Run:Base=trunk"]);
        var same = RlvrConfiguration.Build(file, ["--Arms:grpo:Components:Algorithm=grpo", "--Run:Base=same"]);

        Assert.Empty(trunk.GetSection(RlvrHostBuilder.ArmsSection).GetChildren());
        Assert.Equal(["grpo"], same.GetSection(RlvrHostBuilder.ArmsSection).GetChildren().Select(c => c.Key));
    }

    [Fact]
    public void ABaseContinuesTheVerifiedModelOfTheBaseItNamesUnderItsOwnDataAndBudget()
    {
        string file = Write(Study);
        var early = Assert.Throws<StudyRunsFailedException>(() => Run(file, "more"));
        Assert.Contains("Pretrain:From = 'trunk': this base continues the pretrained model of base 'trunk', which has no finished, verified one for this seed", early.Message);

        var trunk = Run(file, "trunk");
        Assert.Empty(trunk.Arms);                                                          // "Arms": {}: pretrained and evaluated only
        Assert.False(Directory.Exists(Path.Combine(_root, "study", "trunk", "grpo")));

        // TokenBudget 0: the base is the trunk's model as it is, evaluated on the same problems with the same sampling seed.
        var same = Run(file, "same");
        Assert.Equal(File.ReadAllBytes(trunk.Base.ModelPath), File.ReadAllBytes(same.Base.ModelPath));
        Assert.Equal(trunk.Base.Evaluation.PassAtK.Select(p => p.Answer.Mean), same.Base.Evaluation.PassAtK.Select(p => p.Answer.Mean));
        Assert.Equal("grpo", Assert.Single(same.Arms).Arm);

        // A budget of its own: it starts where the trunk ended (its first loss far below a fresh model's) and moves on.
        var more = Run(file, "more");
        Assert.True(more.Base.Pretraining.FirstLoss < trunk.Base.Pretraining.FirstLoss - 0.5,
            $"first loss {more.Base.Pretraining.FirstLoss} continued, {trunk.Base.Pretraining.FirstLoss} fresh");
        Assert.NotEqual(File.ReadAllBytes(trunk.Base.ModelPath), File.ReadAllBytes(more.Base.ModelPath));

        // The continued base depends on the exact weights it starts from: a trunk pretrained again differently is not
        // silently built on; the continuation is pretrained again, its finished folder moved aside first.
        byte[] continued = File.ReadAllBytes(more.Base.ModelPath);
        Run(file, "trunk", "--Pretrain:StepError=0.1");
        var again = Run(file, "more");
        Assert.NotEqual(continued, File.ReadAllBytes(again.Base.ModelPath));
        Assert.Single(Directory.GetDirectories(Path.Combine(_root, "study", "more", RunPaths.BaseArm), $"seed-1{RunStages.ReplacedMarker}*"));
    }
}
