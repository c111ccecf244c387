using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>Registers the Llama-family decoder as <c>"llama"</c>, options from <c>Models:Llama</c>.</summary>
public sealed class LlamaPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddLlama();
}
