using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.PolicyGradient;

namespace Rlvr;

/// <summary>Registers the policy-gradient algorithms.</summary>
public static class PolicyGradientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>grpo</c>, <c>dr-grpo</c>, <c>dapo</c>, <c>rloo</c>, <c>passk</c>, <c>grpo-process</c>, <c>ppo</c> and
    /// <c>ppo-process</c>, each with options from <c>Algorithms:&lt;Preset&gt;</c> (for example <c>Algorithms:DrGrpo</c>).
    /// </summary>
    public static IServiceCollection AddPolicyGradient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGroupPolicy<GrpoOptions>("grpo", "Algorithms:Grpo");
        services.AddGroupPolicy<DrGrpoOptions>("dr-grpo", "Algorithms:DrGrpo");
        services.AddGroupPolicy<DapoOptions>("dapo", "Algorithms:Dapo");
        services.AddGroupPolicy<RlooOptions>("rloo", "Algorithms:Rloo");
        services.AddGroupPolicy<PassKOptions>("passk", "Algorithms:PassK");
        services.AddGroupPolicy<GrpoProcessOptions>("grpo-process", "Algorithms:GrpoProcess");
        services.AddPolicyOptimization<PpoOptions>("ppo", "Algorithms:Ppo");
        services.AddPolicyOptimization<PpoProcessOptions>("ppo-process", "Algorithms:PpoProcess");
        return services;
    }

    private static OptionsBuilder<TOptions> AddGroupPolicy<TOptions>(this IServiceCollection services, string name, string section)
        where TOptions : GroupPolicyOptions =>
        services.AddPolicyOptimization<TOptions>(name, section)
            .Validate(o => o.GroupSize >= 2 || o.Advantage == GroupPolicyOptions.Grpo && o.Scale == "none",
                $"{section}:GroupSize must be at least 2: a group advantage compares a completion with the others of its group.")
            .Validate(o => o.Advantage != GroupPolicyOptions.PassK || o.K <= o.GroupSize,
                $"{section}:K must be at most {section}:GroupSize: pass@k of a group of N needs k <= N.");

    private static OptionsBuilder<TOptions> AddPolicyOptimization<TOptions>(this IServiceCollection services, string name, string section)
        where TOptions : PolicyOptimizationOptions =>
        services.AddAlgorithm<PolicyGradientAlgorithm<TOptions>, TOptions>(name, section)
            .Validate(o => o.MiniBatches <= o.PromptsPerStep * o.GroupSize,
                $"{section}:MiniBatches must be at most PromptsPerStep × GroupSize, the rows of a rollout batch.")
            .Validate(o => o.DualClip == 0 || o.DualClip > 1,
                $"{section}:DualClip must be 0 (off) or greater than 1: a cap of c <= 1 binds even at ratio 1 and corrupts the gradient.");
}
