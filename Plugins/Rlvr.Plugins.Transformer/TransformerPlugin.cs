using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>Registers the decoder-only transformer as <c>"transformer"</c>, with options from <c>Models:Transformer</c>.</summary>
public sealed class TransformerPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddTransformer();
}
