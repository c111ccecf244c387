using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rlvr;

/// <summary>Registers the algorithms <c>"sft"</c> and <c>"rejection-sampling"</c>, options from <c>"Algorithms:Sft"</c> and <c>"Algorithms:RejectionSampling"</c>.</summary>
public sealed class FineTuningPlugin : IRlvrPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) => services.AddFineTuning();
}
