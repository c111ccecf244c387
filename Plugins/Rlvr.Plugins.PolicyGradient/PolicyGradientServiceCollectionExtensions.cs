using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rlvr.PolicyGradient;

namespace Rlvr;

/// <summary>Registers the policy-gradient algorithms and the parts their objectives are built from.</summary>
public static class PolicyGradientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>grpo</c>, <c>dr-grpo</c>, <c>dapo</c>, <c>rloo</c>, <c>passk</c>, <c>grpo-process</c>, <c>gspo</c>,
    /// <c>reinforce-pp</c>, <c>ppo</c> and <c>ppo-process</c>, each with options from <c>Algorithms:&lt;Preset&gt;</c>
    /// (for example <c>Algorithms:DrGrpo</c>), and the built-in objective parts (<see cref="AddPolicyGradientParts"/>).
    /// </summary>
    public static IServiceCollection AddPolicyGradient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPolicyGradientParts();
        services.AddGroupPolicy<GrpoOptions>("grpo", "Algorithms:Grpo");
        services.AddGroupPolicy<DrGrpoOptions>("dr-grpo", "Algorithms:DrGrpo");
        services.AddGroupPolicy<DapoOptions>("dapo", "Algorithms:Dapo");
        services.AddGroupPolicy<RlooOptions>("rloo", "Algorithms:Rloo");
        services.AddGroupPolicy<PassKOptions>("passk", "Algorithms:PassK");
        services.AddGroupPolicy<GrpoProcessOptions>("grpo-process", "Algorithms:GrpoProcess");
        services.AddGroupPolicy<GspoOptions>("gspo", "Algorithms:Gspo");
        services.AddGroupPolicy<ReinforcePlusPlusOptions>("reinforce-pp", "Algorithms:ReinforcePlusPlus");
        services.AddPolicyOptimization<PpoOptions>("ppo", "Algorithms:Ppo");
        services.AddPolicyOptimization<PpoProcessOptions>("ppo-process", "Algorithms:PpoProcess");
        return services;
    }

    /// <summary>
    /// Adds the built-in parts: advantage estimators <c>grpo</c>, <c>rloo</c>, <c>passk</c>, <c>grpo-process</c>,
    /// <c>gae</c>, <c>reinforce-pp</c>; policy losses <c>clip</c>, <c>gspo</c>; loss aggregations <c>token-mean</c>,
    /// <c>seq-mean-token-mean</c>, <c>seq-mean-token-sum-norm</c>; KL estimators <c>k1</c>, <c>k3</c>; reward
    /// placements <c>outcome</c>, <c>steps</c>.
    /// </summary>
    public static IServiceCollection AddPolicyGradientParts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAdvantageEstimator<GrpoAdvantage>(GrpoAdvantage.Name);
        services.AddAdvantageEstimator<RlooAdvantage>(RlooAdvantage.Name);
        services.AddAdvantageEstimator<PassKAdvantage>(PassKAdvantage.Name);
        services.AddAdvantageEstimator<GrpoProcessAdvantage>(GrpoProcessAdvantage.Name);
        services.AddAdvantageEstimator<GaeAdvantage>(GaeAdvantage.Name);
        services.AddAdvantageEstimator<ReinforcePlusPlusAdvantage>(ReinforcePlusPlusAdvantage.Name);
        services.AddPolicyLoss<ClippedTokenRatio>(ClippedTokenRatio.Name);
        services.AddPolicyLoss<ClippedSequenceRatio>(ClippedSequenceRatio.Name);
        services.AddLossAggregation<TokenMean>(TokenMean.Name);
        services.AddLossAggregation<SeqMeanTokenMean>(SeqMeanTokenMean.Name);
        services.AddLossAggregation<SeqMeanTokenSumNorm>(SeqMeanTokenSumNorm.Name);
        services.AddKlEstimator<K1>(K1.Name);
        services.AddKlEstimator<K3>(K3.Name);
        services.AddRewardPlacement<OutcomePlacement>(OutcomePlacement.Name);
        services.AddRewardPlacement<StepPlacement>(StepPlacement.Name);
        return services;
    }

    private static OptionsBuilder<TOptions> AddGroupPolicy<TOptions>(this IServiceCollection services, string name, string section)
        where TOptions : GroupPolicyOptions =>
        services.AddPolicyOptimization<TOptions>(name, section)
            .Validate(o => o.GroupSize >= 2 || o.Advantage == GrpoAdvantage.Name && o.Scale == "none",
                $"{section}:GroupSize must be at least 2: a group advantage compares a completion with the others of its group.")
            .Validate(o => o.Advantage != PassKAdvantage.Name || o.K <= o.GroupSize,
                $"{section}:K must be at most {section}:GroupSize: pass@k of a group of N needs k <= N.");

    private static OptionsBuilder<TOptions> AddPolicyOptimization<TOptions>(this IServiceCollection services, string name, string section)
        where TOptions : PolicyOptimizationOptions
    {
        services.AddSingleton<IValidateOptions<TOptions>>(provider =>
            new ObjectivePartsValidator<TOptions>(section, provider.GetServices<ComponentDescriptor>(), provider));
        return services.AddAlgorithm<PolicyGradientAlgorithm<TOptions>, TOptions>(name, section)
            .Validate(o => o.MiniBatches <= o.PromptsPerStep * o.GroupSize,
                $"{section}:MiniBatches must be at most PromptsPerStep × GroupSize, the rows of a rollout batch.")
            .Validate(o => o.DualClip == 0 || o.DualClip > 1,
                $"{section}:DualClip must be 0 (off) or greater than 1: a cap of c <= 1 binds even at ratio 1 and corrupts the gradient.");
    }
}
