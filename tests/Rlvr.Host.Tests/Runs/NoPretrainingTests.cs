using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Configuration;
using Rlvr.Host.Plugins;
using Rlvr.Host.Runs;
using Rlvr.Host.Tests.Support;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Runs;

/// <summary>Pretrain:TokenBudget 0: the base is the model as its architecture made it (a loaded checkpoint), evaluated as it is.</summary>
public sealed class NoPretrainingTests
{
    [Fact]
    public void AZeroBudgetEvaluatesTheModelAsMadeAndSavesItUnchanged()
    {
        string root = Directory.CreateTempSubdirectory("rlvr-run-").FullName;
        string[] overrides = [.. TinyStudy.Overrides(root, tokens: 0), "--Run:Seed=3"];
        var study = TinyStudy.Run(overrides);

        var result = study.Seeds.Single().Base;
        Assert.Equal(0, result.Pretraining.Steps);
        Assert.Equal(0, result.Pretraining.Tokens);
        Assert.Null(result.Pretraining.FinalLoss);
        Assert.Equal(6, result.Evaluation.PerProblem.Count);
        Assert.DoesNotContain(File.ReadLines(Path.Combine(result.RunFolder, RunPaths.MetricsFile)), line => line.Contains("\"stage\":\"pretrain\"", StringComparison.Ordinal));

        // The saved model is the architecture's fresh model of the run's seed, weight for weight.
        using var host = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = overrides }).Build();
        var catalog = host.Services.GetRequiredService<ComponentCatalog>();
        var tokenizer = catalog.Get<ITokenizerFactory>("char").Create(catalog.Get<IProblemGenerator>("arithmetic").Alphabet);
        using var fresh = catalog.Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, CPU, seed: 3);
        using var saved = catalog.Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, CPU, seed: 99);
        saved.Module.load(Path.Combine(result.RunFolder, RunPaths.ModelFile));
        SameWeights.Assert(fresh, saved, "changed");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(999)]
    public void ABudgetBetweenZeroAndTheLeastThatTrainsIsRefusedByName(long tokens)
    {
        using var host = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = TinyStudy.Overrides(Path.GetTempPath(), tokens: (int)tokens) }).Build();
        var error = Assert.Single(host.Services.GetRequiredService<ConfigurationValidator>().Validate());
        Assert.StartsWith("Pretrain:TokenBudget must be 0", error);
    }
}
