using Microsoft.Extensions.DependencyInjection;

namespace Rlvr.PolicyGradient.Tests;

/// <summary>The plugin's registrations as the host makes them, for tests that take a part or an algorithm by name.</summary>
internal static class Parts
{
    /// <summary>A provider holding every preset and part of the plugin.</summary>
    public static ServiceProvider Services { get; } = new ServiceCollection().AddPolicyGradient().BuildServiceProvider();

    /// <summary>The part of interface <typeparamref name="T"/> registered as <paramref name="name"/>.</summary>
    public static T Get<T>(string name) where T : class => Services.GetRequiredKeyedService<T>(name);
}
