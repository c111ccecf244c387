using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Plugins.CharTokenizer;

namespace Rlvr;

/// <summary>Registers the character-level tokenizer as <c>"char"</c>.</summary>
public sealed class CharTokenizerPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddCharTokenizer();
}

public static class CharTokenizerServiceCollectionExtensions
{
    /// <summary>Adds the character-level tokenizer under <paramref name="name"/>.</summary>
    public static IServiceCollection AddCharTokenizer(this IServiceCollection services, string name = CharTokenizer.Kind) =>
        services.AddTokenizer<CharTokenizerFactory>(name);
}
