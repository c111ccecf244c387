using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr;

namespace Company.RlvrPlugin;

/// <summary>The plugin's entry point: rlvr finds it, creates it and calls ConfigureServices (keep it stateless).</summary>
public sealed class StarterPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddStarter();
}

public static class StarterServiceCollectionExtensions
{
    /// <summary>Adds the model architecture, with its options bound from <paramref name="section"/>.</summary>
    public static IServiceCollection AddStarter(this IServiceCollection services, string name = "starter", string section = "Models:Starter")
    {
        services.AddModelArchitecture<StarterArchitecture, StarterOptions>(name, section);
        return services;
    }
}
