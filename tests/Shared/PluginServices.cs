// A plugin registered the way the host registers it: a real service collection, configuration from key/value
// pairs, options validated on start. Linked into every plugin test project (tests/Directory.Build.props).
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rlvr.Testing;

internal static class PluginServices
{
    /// <summary>A provider holding everything <paramref name="plugin"/> registers, configured by <paramref name="settings"/>.</summary>
    public static ServiceProvider Build(IRlvrPlugin plugin, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        plugin.ConfigureServices(services, configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>The exception that start-up validation throws for <paramref name="settings"/>.</summary>
    public static Exception ValidateOnStart(IRlvrPlugin plugin, params (string Key, string Value)[] settings)
    {
        using var provider = Build(plugin, settings);
        return Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }
}
