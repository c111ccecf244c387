using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FuturePlugin;

// Built against Rlvr.Abstractions 9.0.0, which this host does not provide.
public sealed class FuturePluginEntry : Rlvr.IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) { }
}
