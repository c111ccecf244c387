// The parts an algorithm's options name, resolved once per run from the registries (keyed services). The names were
// checked when the host started (ObjectivePartsValidator), so a lookup here cannot miss.
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Objectives;

namespace Rlvr.PolicyGradient;

internal sealed record ObjectiveParts(
    IAdvantageEstimator Advantage,
    IRewardPlacement Placement,
    IPolicyLoss PolicyLoss,
    ILossAggregation Aggregation,
    IKlEstimator Kl,
    IKlEstimator RewardKl)
{
    public static ObjectiveParts Resolve(PolicyOptimizationOptions o, IServiceProvider services) => new(
        services.GetRequiredKeyedService<IAdvantageEstimator>(o.Advantage),
        services.GetRequiredKeyedService<IRewardPlacement>(o.Rewards),
        services.GetRequiredKeyedService<IPolicyLoss>(o.PolicyLoss),
        services.GetRequiredKeyedService<ILossAggregation>(o.LossAggregation),
        services.GetRequiredKeyedService<IKlEstimator>(o.KlEstimator),
        services.GetRequiredKeyedService<IKlEstimator>(o.RewardKlEstimator));
}
