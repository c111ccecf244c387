using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>
/// Registers the decoder-only transformer as <c>"transformer"</c> (options from <c>Models:Transformer</c>) and the
/// looped transformer, its blocks shared across loops, as <c>"looped-transformer"</c> (options from
/// <c>Models:LoopedTransformer</c>).
/// </summary>
public sealed class TransformerPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddTransformer().AddLoopedTransformer();
}
