using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr;
using Rlvr.Rewards;

namespace Company.RlvrPlugin;

/// <summary>The plugin's entry point: rlvr finds it, creates it and calls ConfigureServices (keep it stateless).</summary>
public sealed class StarterPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddStarter();
}

public static class StarterServiceCollectionExtensions
{
    /// <summary>Adds the reward, with its options bound from <paramref name="section"/>.</summary>
    public static IServiceCollection AddStarter(this IServiceCollection services, string name = "starter", string section = "Rewards:Starter")
    {
        // AddReward has no options overload; AddComponent binds the options and records the section for rlvr plugins.
        services.AddComponent<IReward, StarterReward, StarterOptions>(name, section);
        return services;
    }
}
