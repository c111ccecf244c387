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
    /// <summary>Adds the task and its verifier under one name, with the task's options bound from <paramref name="section"/>.</summary>
    public static IServiceCollection AddStarter(this IServiceCollection services, string name = "starter", string section = "Tasks:Starter")
    {
        services.AddTask<StarterTask, StarterOptions>(name, section)
            .Validate(o => o.MinDifficulty <= o.MaxDifficulty, $"{section}:MinDifficulty must be <= {section}:MaxDifficulty.");
        return services.AddVerifier<StarterVerifier>(name);
    }
}
