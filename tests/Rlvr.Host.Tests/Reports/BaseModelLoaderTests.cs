using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Plugins;
using Rlvr.Reporting;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using TorchSharp;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

/// <summary>The base model is built from its run's config.json through the plugins (copied beside the tests) and its model.bin.</summary>
public sealed class BaseModelLoaderTests
{
    private const string Config = """
        {"Components": {"Model": "transformer", "Tokenizer": "char", "Task": "arithmetic", "Verifier": "arithmetic"},
         "Models": {"Transformer": {"Layers": "1", "Width": "32", "Heads": "2", "ContextLength": "32"}},
         "Tasks": {"Arithmetic": {"MaxDifficulty": "2", "MaxOperand": "9"}}}
        """;

    [Fact]
    public void ScoresWithTheSavedWeightsOrSaysWhatIsMissing()
    {
        using var folder = new FakeStudy().Run("base", 1, Evaluated(Counts("p", 4, 1)), Config);
        var run = StudyLoader.Load(folder.Folder).Runs.Single();
        Assert.Throws<FileNotFoundException>(() => BaseModelLoader.Load(run, new RlvrHostSettings()));

        // Save the weights of a model built as the runners build it, then score once with it and once through the loader.
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { ConfigFile = Path.Combine(run.Folder, "config.json") });
        using var host = builder.Build();
        var catalog = host.Services.GetRequiredService<ComponentCatalog>();
        var tokenizer = catalog.Get<ITokenizerFactory>("char").Create(catalog.Get<IProblemGenerator>("arithmetic").Alphabet);
        var model = catalog.Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, torch.CPU, seed: 7);
        model.Module.save(run.ModelPath);
        (string, string)[] samples = [("3+4=", "1:3+4=7\n#7"), ("2+2=", "#4")];
        double[] expected;
        using (var direct = new BaseLogLikelihood(model, tokenizer)) expected = direct.Score(samples);

        using var loaded = BaseModelLoader.Load(run, new RlvrHostSettings());
        var scores = loaded.Score(samples);
        Assert.Equal(expected[0], scores[0], precision: 4);
        Assert.Equal(expected[1], scores[1], precision: 4);
        Assert.All(scores, s => Assert.True(s < 0 && double.IsFinite(s), s.ToString()));
    }
}
