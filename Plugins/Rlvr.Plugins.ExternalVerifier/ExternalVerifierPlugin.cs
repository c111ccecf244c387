using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>Registers the verifier <c>"external"</c>, a program run outside the host, options from <c>"Verifiers:External"</c>.</summary>
public sealed class ExternalVerifierPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddExternalVerifier();
}
