using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rlvr;

namespace Company.RlvrPlugin;

/// <summary>
/// The plugin's entry point: adds the advantage estimator "starter", which every policy-gradient arm can name
/// (<c>--Algorithms:Grpo:Advantage=starter</c>).
/// </summary>
public sealed class StarterPlugin : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddAdvantageEstimator<StarterAdvantage>("starter");
}
