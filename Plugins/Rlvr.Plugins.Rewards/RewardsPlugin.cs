using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>Registers the rewards <c>"terminal"</c>, <c>"strict"</c> and <c>"process"</c>, options from <c>"Rewards:Process"</c>.</summary>
public sealed class RewardsPlugin : IRlvrPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddRlvrRewards();
}
