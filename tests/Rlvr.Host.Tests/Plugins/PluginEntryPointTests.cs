using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Plugins;

namespace Rlvr.Host.Tests.Plugins;

/// <summary>Creating a plugin's entry point: a constructor that throws is reported with its own exception, a missing one with the hint.</summary>
public sealed class PluginEntryPointTests
{
    [Fact]
    public void AConstructorThatThrowsIsReportedWithItsOwnException()
    {
        var error = Assert.ThrowsAny<Exception>(() => PluginDiscovery.Instantiate(typeof(ThrowingConstructorPlugin)));

        Assert.Equal($"its entry point {typeof(ThrowingConstructorPlugin).FullName}'s constructor threw InvalidOperationException: no licence file found", error.Message);
        Assert.DoesNotContain("parameterless", error.Message);
    }

    [Fact]
    public void AnEntryPointWithoutAParameterlessConstructorGetsTheHint()
    {
        var error = Assert.ThrowsAny<Exception>(() => PluginDiscovery.Instantiate(typeof(ConstructorWithParameterPlugin)));

        Assert.EndsWith("could not be created: it needs a public parameterless constructor", error.Message);
    }

    [Fact]
    public void AnEntryPointWithAParameterlessConstructorIsCreated() =>
        Assert.IsType<WorkingPlugin>(PluginDiscovery.Instantiate(typeof(WorkingPlugin)));

    public sealed class ThrowingConstructorPlugin : IRlvrPlugin
    {
        public ThrowingConstructorPlugin() => throw new InvalidOperationException("no licence file found\nsecond line");

        public void ConfigureServices(IServiceCollection services, IConfiguration configuration) { }
    }

    public sealed class ConstructorWithParameterPlugin(int size) : IRlvrPlugin
    {
        public int Size { get; } = size;

        public void ConfigureServices(IServiceCollection services, IConfiguration configuration) { }
    }

    public sealed class WorkingPlugin : IRlvrPlugin
    {
        public void ConfigureServices(IServiceCollection services, IConfiguration configuration) { }
    }
}
