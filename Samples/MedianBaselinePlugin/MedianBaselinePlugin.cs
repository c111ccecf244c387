using MedianBaselinePlugin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>The plugin's entry point: adds the advantage estimator "median-baseline", which any policy-gradient algorithm can name.</summary>
public sealed class MedianBaselinePluginEntry : IRlvrPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddAdvantageEstimator<MedianBaselineAdvantage>("median-baseline");
}
