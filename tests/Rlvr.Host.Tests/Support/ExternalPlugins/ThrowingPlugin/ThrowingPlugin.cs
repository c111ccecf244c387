using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ThrowingPlugin;

// A plugin whose entry point fails, as one with a missing configuration file or a bug would.
public sealed class ThrowingPluginEntry : Rlvr.IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        throw new System.InvalidOperationException("the throwing plugin always throws");
}
