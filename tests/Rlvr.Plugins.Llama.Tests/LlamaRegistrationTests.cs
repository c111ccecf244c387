// Registration through a real service collection: the component, its options and their validation on start.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Models;
using Rlvr.Plugins.Llama.Tests.Support;
using Rlvr.Testing;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama.Tests;

public sealed class LlamaRegistrationTests
{
    private static string FailsOnStart(params (string Key, string Value)[] settings) =>
        Assert.IsType<OptionsValidationException>(PluginServices.ValidateOnStart(new LlamaPlugin(), settings)).Message;

    [Fact]
    public void KeyValueHeadsThatDoNotDivideTheHeadsFailOnStartNamingTheKey() =>
        Assert.Contains("Models:Llama:KeyValueHeads: 3 must divide Models:Llama:Heads (4)", FailsOnStart(("Models:Llama:KeyValueHeads", "3")));

    [Fact]
    public void AnOddHeadSizeFailsOnStartNamingTheKeys() =>
        Assert.Contains("Models:Llama:HiddenSize / Heads: the head size 9 must be even for rotary positions", FailsOnStart(("Models:Llama:HiddenSize", "36")));

    [Fact]
    public void AFolderWithoutConfigJsonFailsOnStartNamingTheKey() =>
        Assert.Contains("Models:Llama:Path: no config.json in '/nonexistent'", FailsOnStart(("Models:Llama:Path", "/nonexistent")));

    [Fact]
    public void AnUnknownDTypeFailsOnStart() =>
        Assert.Contains("Models:Llama:DType = 'float8'", FailsOnStart(("Models:Llama:DType", "float8")));

    [Fact]
    public void APathBuildsTheCheckpointsModel()
    {
        using var scope = NewDisposeScope();
        using var provider = PluginServices.Build(new LlamaPlugin(), ("Models:Llama:Path", Fixtures.Folder("qwen2")), ("Models:Llama:ContextLength", "32"));
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal([("llama", ComponentKind.ModelArchitecture, "Models:Llama")], provider.GetServices<ComponentDescriptor>().Select(d => (d.Name, d.Kind, d.ConfigSection)));

        var architecture = provider.GetRequiredKeyedService<IModelArchitecture>("llama");
        using var model = architecture.Create(vocabularySize: 20, CPU, seed: 1);
        using var reference = Fixtures.Load("qwen2");
        Assert.Equal((32, 72, 32), (model.ContextLength, model.VocabularySize, model.Width));
        var ids = tensor(new long[] { 1, 2, 3 }).view(1, -1);
        Assert.True(model.Forward(ids).allclose(reference.Forward(ids), rtol: 0, atol: 0));

        var error = Assert.Throws<InvalidDataException>(() => architecture.Create(vocabularySize: 73, CPU, seed: 1));
        Assert.StartsWith("Models:Llama:Path: the tokenizer has 73 tokens, more than the 72 of", error.Message);
    }
}
