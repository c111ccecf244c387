using Microsoft.Extensions.DependencyInjection;
using Rlvr.Plugins.Transformer;

namespace Rlvr;

public static class TransformerServiceCollectionExtensions
{
    /// <summary>Adds the decoder-only transformer under <paramref name="name"/>, with options bound from <paramref name="section"/>.</summary>
    public static IServiceCollection AddTransformer(this IServiceCollection services, string name = "transformer", string section = "Models:Transformer")
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddModelArchitecture<TransformerArchitecture, TransformerOptions>(name, section)
            .Validate(o => o.Heads <= 0 || o.Width % o.Heads == 0,                      // Heads <= 0 is reported by its [Range]
                $"{section}:Width must be divisible by {section}:Heads (the head size is Width / Heads).")
            .Validate(o => o.Heads <= 0 || o.Positions != "rope" || o.Width / o.Heads % 2 == 0,
                $"{section}:Width / {section}:Heads (the head size) must be even when {section}:Positions is \"rope\".");
        return services;
    }
}
