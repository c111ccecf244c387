// Registration through a real service collection: the component, its options and their validation on start.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Models;
using static TorchSharp.torch;
using Rlvr.Testing;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class TransformerRegistrationTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings) => PluginServices.Build(new TransformerPlugin(), settings);

    private static OptionsValidationException FailsOnStart(params (string Key, string Value)[] settings) =>
        Assert.IsType<OptionsValidationException>(PluginServices.ValidateOnStart(new TransformerPlugin(), settings));

    [Fact]
    public void WidthNotDivisibleByHeadsFailsOnStartNamingTheKeys()
    {
        var error = FailsOnStart(("Models:Transformer:Width", "130"), ("Models:Transformer:Heads", "4"));
        Assert.Contains("Models:Transformer:Width must be divisible by Models:Transformer:Heads", error.Message);
    }

    [Fact]
    public void RotaryPositionsWithAnOddHeadSizeFailOnStart()
    {
        var error = FailsOnStart(("Models:Transformer:Width", "36"), ("Models:Transformer:Heads", "4"), ("Models:Transformer:Positions", "rope"));
        Assert.Contains("must be even", error.Message);
    }

    [Fact]
    public void OutOfRangeValuesFailOnStartTogether()
    {
        var error = FailsOnStart(("Models:Transformer:Heads", "0"), ("Models:Transformer:Positions", "alibi"), ("Models:Transformer:Dropout", "1.5"));
        Assert.Contains("Heads", error.Message);
        Assert.Contains("Positions", error.Message);
        Assert.Contains("Dropout", error.Message);
    }

    [Fact]
    public void AMisspelledKeyIsAnError()
    {
        using var provider = Build(("Models:Transformer:Layer", "2"));
        var error = Assert.ThrowsAny<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Layer", error.Message);
    }

    [Fact]
    public void TheDefaultsValidateAndBuildTheDocumentedModel()
    {
        using var scope = NewDisposeScope();
        using var provider = Build(("Models:Transformer:Layers", "1"));
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal([("transformer", ComponentKind.ModelArchitecture, "Models:Transformer"), ("looped-transformer", ComponentKind.ModelArchitecture, "Models:LoopedTransformer")],
            provider.GetServices<ComponentDescriptor>().Select(d => (d.Name, d.Kind, d.ConfigSection)));

        var architecture = provider.GetRequiredKeyedService<IModelArchitecture>("transformer");
        using var model = architecture.Create(vocabularySize: 20, CPU, seed: 1);
        Assert.Equal(96, model.ContextLength);
        var parameters = model.Module.parameters().Sum(p => p.numel());
        Assert.Equal(20 * 128 + 96 * 128 + 12 * 128 * 128 + 13 * 128 + 2 * 128, parameters);   // wte, wpe, one block, ln_f
        Assert.Equal([2, 3, 20], model.Forward(zeros(2, 3, dtype: int64)).shape);
    }
}
