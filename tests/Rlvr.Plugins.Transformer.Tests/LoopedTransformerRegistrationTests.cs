// Registration of "looped-transformer" through a real service collection: its options, their errors naming the keys
// of Models:LoopedTransformer, and the documented defaults.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Models;
using Rlvr.Testing;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class LoopedTransformerRegistrationTests
{
    private static OptionsValidationException FailsOnStart(params (string Key, string Value)[] settings) =>
        Assert.IsType<OptionsValidationException>(PluginServices.ValidateOnStart(new TransformerPlugin(), settings));

    [Fact]
    public void OutOfRangeLoopOptionsFailOnStartNamingTheirKeys()
    {
        var error = FailsOnStart(("Models:LoopedTransformer:Blocks", "0"), ("Models:LoopedTransformer:Loops", "0"),
            ("Models:LoopedTransformer:EvaluationLoops", "-1"), ("Models:LoopedTransformer:Positions", "alibi"));
        Assert.Contains("Models:LoopedTransformer:Blocks", error.Message);
        Assert.Contains("Models:LoopedTransformer:Loops", error.Message);
        Assert.Contains("Models:LoopedTransformer:EvaluationLoops", error.Message);
        Assert.Contains("Models:LoopedTransformer:Positions", error.Message);
        Assert.DoesNotContain("Models:Transformer:", error.Message);
    }

    [Fact]
    public void TheHeadSizeRulesNameTheLoopedSection()
    {
        var divisible = FailsOnStart(("Models:LoopedTransformer:Width", "130"), ("Models:LoopedTransformer:Heads", "4"));
        Assert.Contains("Models:LoopedTransformer:Width must be divisible by Models:LoopedTransformer:Heads", divisible.Message);
        var even = FailsOnStart(("Models:LoopedTransformer:Width", "36"), ("Models:LoopedTransformer:Heads", "4"), ("Models:LoopedTransformer:Positions", "rope"));
        Assert.Contains("Models:LoopedTransformer:Width / Models:LoopedTransformer:Heads (the head size) must be even", even.Message);
    }

    [Fact]
    public void AKeyOnlyTheTransformerHasIsAnError()
    {
        using var provider = PluginServices.Build(new TransformerPlugin(), ("Models:LoopedTransformer:Layers", "2"));
        var error = Assert.ThrowsAny<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Layers", error.Message);
    }

    [Fact]
    public void TheDefaultsBuildOneBlockLoopedFourTimes()
    {
        using var scope = NewDisposeScope();
        using var provider = PluginServices.Build(new TransformerPlugin(), ("Models:LoopedTransformer:EvaluationLoops", "8"));
        provider.GetRequiredService<IStartupValidator>().Validate();
        using var model = provider.GetRequiredKeyedService<IModelArchitecture>("looped-transformer").Create(vocabularySize: 20, CPU, seed: 1);
        var looped = Assert.IsType<GptModel>(model);
        Assert.Equal((4, 4, 8), (looped.Loops, looped.TrainingLoops, looped.EvaluationLoops));
        Assert.Equal(20 * 128 + 96 * 128 + 12 * 128 * 128 + 13 * 128 + 2 * 128, model.Module.parameters().Sum(p => p.numel()));   // wte, wpe, one block, ln_f
        using var cache = model.CreateDecodingState(zeros(2, dtype: int64), capacity: 3);
        Assert.Equal(4, ((KeyValueCache)cache).Layers);
        Assert.Equal([2, 3, 20], model.Forward(zeros(2, 3, dtype: int64), cache).shape);
    }
}
