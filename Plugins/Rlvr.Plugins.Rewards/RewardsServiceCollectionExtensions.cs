using Microsoft.Extensions.DependencyInjection;
using Rlvr.Rewards;
using Rlvr.Rewards.Functions;

namespace Rlvr;

/// <summary>Registers the verifier-based reward functions.</summary>
public static class RewardsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>"terminal"</c> (answer 0/1), <c>"strict"</c> (answer and every step) and <c>"process"</c> (one reward
    /// per step, options bound from <paramref name="processSection"/>).
    /// </summary>
    public static IServiceCollection AddRlvrRewards(this IServiceCollection services, string processSection = "Rewards:Process")
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddReward<TerminalReward>("terminal");
        services.AddReward<StrictReward>("strict");
        // AddReward has no options overload; AddComponent records the section in the catalog as well.
        services.AddComponent<IReward, ProcessReward, ProcessRewardOptions>("process", processSection)
            .Validate(o => o.CorrectStep > o.WrongStep,
                $"{processSection}:CorrectStep must be > {processSection}:WrongStep, or right steps would not be preferred.");
        return services;
    }
}
