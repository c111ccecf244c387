using Microsoft.Extensions.DependencyInjection;
using Rlvr.FineTuning;

namespace Rlvr;

/// <summary>Registers the supervised fine-tuning algorithms.</summary>
public static class FineTuningServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>"sft"</c> (options from <c>"Algorithms:Sft"</c>) and <c>"rejection-sampling"</c> (options from
    /// <c>"Algorithms:RejectionSampling"</c>).
    /// </summary>
    public static IServiceCollection AddFineTuning(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAlgorithm<SftAlgorithm, SftOptions>(SftAlgorithm.Name, SftOptions.Section);
        services.AddAlgorithm<RejectionSamplingAlgorithm, RejectionSamplingOptions>(RejectionSamplingAlgorithm.Name, RejectionSamplingOptions.Section);
        return services;
    }
}
