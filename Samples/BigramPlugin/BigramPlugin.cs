using BigramPlugin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>The plugin's entry point: rlvr finds it, creates it and calls ConfigureServices.</summary>
public sealed class BigramPluginEntry : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddBigram();
}

public static class BigramServiceCollectionExtensions
{
    /// <summary>Adds the bigram model architecture, with options from <paramref name="section"/>.</summary>
    public static IServiceCollection AddBigram(this IServiceCollection services, string name = "bigram", string section = "Models:Bigram")
    {
        services.AddModelArchitecture<BigramArchitecture, BigramOptions>(name, section);
        return services;
    }
}
