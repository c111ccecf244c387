using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

public interface IRlvrPlugin
{
    void ConfigureServices(IServiceCollection services, IConfiguration configuration);
}
