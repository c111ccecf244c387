using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.Plugins.Transformer;

namespace Rlvr;

public static class TransformerServiceCollectionExtensions
{
    /// <summary>Adds the decoder-only transformer under <paramref name="name"/>, with options bound from <paramref name="section"/>.</summary>
    public static IServiceCollection AddTransformer(this IServiceCollection services, string name = "transformer", string section = "Models:Transformer")
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddModelArchitecture<TransformerArchitecture, TransformerOptions>(name, section).ValidateHeads(section);
        return services;
    }

    /// <summary>
    /// Adds the looped (recurrent-depth) transformer under <paramref name="name"/>, with options bound from
    /// <paramref name="section"/>: the transformer's blocks, shared across loops.
    /// </summary>
    public static IServiceCollection AddLoopedTransformer(this IServiceCollection services, string name = "looped-transformer", string section = "Models:LoopedTransformer")
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddModelArchitecture<LoopedTransformerArchitecture, LoopedTransformerOptions>(name, section).ValidateHeads(section);
        return services;
    }

    // What [Range] cannot say: the head size Width / Heads must be whole, and even for rotary positions.
    private static OptionsBuilder<T> ValidateHeads<T>(this OptionsBuilder<T> options, string section) where T : GptOptions => options
        .Validate(o => o.Heads <= 0 || o.Width % o.Heads == 0,                      // Heads <= 0 is reported by its [Range]
            $"{section}:Width must be divisible by {section}:Heads (the head size is Width / Heads).")
        .Validate(o => o.Heads <= 0 || o.Positions != "rope" || o.Width / o.Heads % 2 == 0,
            $"{section}:Width / {section}:Heads (the head size) must be even when {section}:Positions is \"rope\".");
}
