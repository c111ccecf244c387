using System.Runtime.Loader;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Plugins;
using Rlvr.Host.Tests.Support;
using Rlvr.Models;
using Rlvr.Tokenizers;
using TorchSharp;

namespace Rlvr.Host.Tests.Plugins;

[Collection(ExternalPluginsCollection.Name)]
public sealed class PluginDiscoveryTests(ExternalPluginsFixture external)
{
    private static readonly IConfiguration s_empty = new ConfigurationBuilder().Build();

    [Fact]
    public void RepositoryPluginIsDiscoveredAndItsComponentResolvesThroughTheHost()
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings());
        using var host = builder.Build();

        var plugin = Assert.Single(builder.Plugins.Loaded, p => p.Name == "Rlvr.Plugins.CharTokenizer");
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(plugin.Assembly));
        Assert.Contains(plugin.Components, c => c is { Kind: ComponentKind.Tokenizer, Name: "char" });

        var tokenizer = host.Services.GetRequiredService<ComponentCatalog>().Get<ITokenizerFactory>("char").Create("0123456789+=");
        Assert.Equal(12 + 3, tokenizer.VocabularySize);
        Assert.Equal("12+3=15", tokenizer.Decode(tokenizer.Encode("12+3=15")));
    }

    [Fact]
    public void PluginBuiltOutsideTheSolutionLoadsAndReturnsATensorTheHostCanUse()
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { UseDefaultPluginFolder = false, PluginFolders = [external.Bigram] });
        using var host = builder.Build();
        var plugin = Assert.Single(builder.Plugins.Loaded);
        Assert.Equal("BigramPlugin", plugin.Name);
        Assert.Empty(builder.Plugins.Failed);

        const int V = 7;
        using var model = host.Services.GetRequiredService<ComponentCatalog>().Get<IModelArchitecture>("bigram").Create(V, torch.CPU, seed: 1);
        using var scope = torch.NewDisposeScope();
        var tokens = torch.tensor(new long[] { 1, 2, 3, 4 }).view(1, 4);
        var logits = model.Forward(tokens);                                    // made by the plugin, used by the host
        Assert.Equal(new long[] { 1, 4, V }, logits.shape);

        var loss = torch.nn.functional.cross_entropy(logits.view(-1, V), torch.tensor(new long[] { 2, 3, 4, 5 }));
        loss.backward();
        // Logits drawn with σ = 0.02 are nearly uniform, so the loss is close to ln V.
        Assert.InRange(loss.item<float>(), Math.Log(V) - 0.05, Math.Log(V) + 0.05);
        Assert.All(model.Module.parameters(), p => Assert.NotNull(p.grad));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(torch.Tensor).Assembly));
    }

    [Fact]
    public void BigramPluginsDecodingStateGivesTheWholeSequencesLogits()
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { UseDefaultPluginFolder = false, PluginFolders = [external.Bigram] });
        using var host = builder.Build();
        using var model = host.Services.GetRequiredService<ComponentCatalog>().Get<IModelArchitecture>("bigram").Create(7, torch.CPU, seed: 3);
        using var scope = torch.NewDisposeScope();
        var tokens = torch.tensor(new long[,] { { 1, 2, 3, 4, 5 }, { 0, 6, 5, 4, 3 } });   // row 1: one position of padding

        using var state = model.CreateDecodingState(torch.tensor(new long[] { 0, 1 }), 5);
        var first = model.Forward(tokens.narrow(1, 0, 2), state);
        state.Repeat(3);                                                         // rows 0, 0, 0, 1, 1, 1
        Assert.Equal(6, state.BatchSize);
        state.Select(torch.tensor(new long[] { 2, 5 }));                         // one copy of each again
        var rest = model.Forward(tokens.narrow(1, 2, 3), state);

        Assert.True(torch.cat([first, rest], 1).allclose(model.Forward(tokens), rtol: 1e-5, atol: 1e-6));
        Assert.Equal(5, state.Length);
        Assert.Throws<InvalidOperationException>(() => model.Forward(tokens.narrow(1, 0, 1), state));   // no room left
    }

    [Fact]
    public void BrokenPluginsAreReportedByNameWhileTheOthersLoad()
    {
        var set = new PluginDiscovery(NullLogger.Instance).Discover(
            [new(RlvrHostSettings.DefaultPluginFolder, Explicit: false), new(external.Plugins, Explicit: true)], s_empty);

        Assert.Contains(set.Loaded, p => p.Name == "Rlvr.Plugins.CharTokenizer");
        Assert.Contains(set.Loaded, p => p.Name == "BigramPlugin");
        string Reason(string name) => Assert.Single(set.Failed, f => f.Name == name).Reason;

        Assert.Contains("Corrupt.dll could not be loaded", Reason("Corrupt"));
        Assert.Contains("holds no Empty.dll", Reason("Empty"));
        Assert.Contains("ThrowingPluginEntry.ConfigureServices threw InvalidOperationException: the throwing plugin always throws", Reason("ThrowingPlugin"));
        Assert.Contains("built against Rlvr.Abstractions 9.0.0.0, but this host provides 0.3.0.0", Reason("FuturePlugin"));
        Assert.Equal("tokenizer 'char' is registered by both Rlvr.Plugins.CharTokenizer and CharTokenizerCopy", Reason("CharTokenizerCopy"));
        Assert.Equal(5, set.Failed.Count);
    }

    [Fact]
    public void NamedPluginFolderThatDoesNotExistIsReported()
    {
        string missing = Path.Combine(external.Root, "no-such-folder");
        var set = new PluginDiscovery(NullLogger.Instance).Discover([new(missing, Explicit: true)], s_empty);

        var failure = Assert.Single(set.Failed);
        Assert.Equal(missing, failure.Folder);
        Assert.Contains("does not exist", failure.Reason);
    }

    [Theory]
    [InlineData("0.1.0", "0.1.0", true)]
    [InlineData("0.1.0", "0.1.3", true)]
    [InlineData("0.1.3", "0.1.0", false)] // the plugin needs something newer than the host has
    [InlineData("0.1.0", "0.2.0", false)] // 0.x: a minor version may break
    [InlineData("1.0.0", "1.4.0", true)]
    [InlineData("2.0.0", "1.9.0", false)]
    [InlineData("1.0.0", "2.0.0", false)]
    public void AbstractionsVersionsAreCompatibleBySemanticVersioning(string built, string host, bool compatible) =>
        Assert.Equal(compatible, PluginDiscovery.IsCompatible(Version.Parse(built), Version.Parse(host)));
}
