// The plugin as the host meets it: a DLL in a plugin folder, loaded in its own load context, its curricula selected
// by name in a study file whose options the host binds and validates.
using System.Runtime.Loader;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Curricula;
using Rlvr.Host;
using Rlvr.Host.Configuration;
using Rlvr.Host.Plugins;
using Rlvr.Plugins.Curricula.Tests.Support;

namespace Rlvr.Plugins.Curricula.Tests;

public sealed class HostLoadingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rlvr-curricula-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // A plugin folder holding the plugin's DLL, named after it, as CopyPlugins.targets lays it out beside rlvr.
    private string PluginFolder()
    {
        string folder = Path.Combine(_root, "plugins", "Rlvr.Plugins.Curricula");
        Directory.CreateDirectory(folder);
        File.Copy(typeof(CurriculaPlugin).Assembly.Location, Path.Combine(folder, "Rlvr.Plugins.Curricula.dll"));
        return Path.GetDirectoryName(folder)!;
    }

    private RlvrHostBuilder Load(string study)
    {
        string file = Path.Combine(_root, "study.json");
        File.WriteAllText(file, study);
        return RlvrHostBuilder.Create(new RlvrHostSettings { ConfigFile = file, UseDefaultPluginFolder = false, PluginFolders = [PluginFolder()] });
    }

    private const string Mixture = """
        {
          "Components": { "Curriculum": "mixture" },
          "Curricula": { "Mixture": { "Bands": [ { "Min": 2, "Max": 3, "Weight": 0.99 }, { "Min": 5, "Max": 5, "Weight": WEIGHT } ] } }
        }
        """;

    [Fact]
    public void TheCurriculaLoadFromTheDllAndTheStudysChoiceResolvesByName()
    {
        var builder = Load(Mixture.Replace("WEIGHT", "0.01"));
        using var host = builder.Build();

        var plugin = Assert.Single(builder.Plugins.Loaded);
        Assert.Empty(builder.Plugins.Failed);
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(plugin.Assembly));
        var catalog = host.Services.GetRequiredService<ComponentCatalog>();
        Assert.Equal(["adaptive", "mixture", "staged", "success-rate"], catalog.Names(ComponentKind.Curriculum));
        Assert.Empty(host.Services.GetRequiredService<ConfigurationValidator>().Validate());

        var problems = catalog.Get<ICurriculum>("mixture").Next(1000, new SeededSource(1, 6), new Random(1));
        Assert.Equal([2, 3, 5], problems.Select(p => p.Difficulty).Distinct().Order());
    }

    [Fact]
    public void TheHostReportsABadBandByItsKey()
    {
        using var host = Load(Mixture.Replace("WEIGHT", "0")).Build();
        var errors = host.Services.GetRequiredService<ConfigurationValidator>().Validate();
        Assert.Equal(["Curricula:Mixture:Bands:1:Weight = '0': must be a positive number (weights are relative)."], errors);
    }
}
