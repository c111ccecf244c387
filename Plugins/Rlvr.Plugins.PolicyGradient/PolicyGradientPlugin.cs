using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>The policy-gradient algorithms: the GRPO family and PPO (see <see cref="PolicyGradientServiceCollectionExtensions.AddPolicyGradient"/>).</summary>
public sealed class PolicyGradientPlugin : IRlvrPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddPolicyGradient();
}
