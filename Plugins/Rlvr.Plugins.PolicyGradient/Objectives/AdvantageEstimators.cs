// The advantage estimators, each a name and a call into Advantages (verl's core_algos registry). Group estimators give
// one advantage per row, spread over its masked tokens; GAE and REINFORCE++ work on token rewards.
using Rlvr.Objectives;

namespace Rlvr.PolicyGradient;

/// <summary>GRPO: (R − mean_g R) / (std + ε), the std per <see cref="ObjectiveSettings.Scale"/> ("none": Dr. GRPO).</summary>
public sealed class GrpoAdvantage : IAdvantageEstimator
{
    public const string Name = "grpo";

    /// <inheritdoc />
    public AdvantageEstimate Estimate(AdvantageInputs inputs)
    {
        var scale = Enum.Parse<AdvantageScale>(inputs.Settings.Scale, ignoreCase: true);
        return new(Advantages.Grpo(inputs.Rewards, inputs.GroupSize, scale, inputs.Settings.Epsilon).unsqueeze(1) * inputs.Mask);
    }
}

/// <summary>RLOO: R − the mean reward of the other completions of the group.</summary>
public sealed class RlooAdvantage : IAdvantageEstimator
{
    public const string Name = "rloo";

    /// <inheritdoc />
    public AdvantageEstimate Estimate(AdvantageInputs inputs) =>
        new(Advantages.Rloo(inputs.Rewards, inputs.GroupSize).unsqueeze(1) * inputs.Mask);
}

/// <summary>Pass@k training: the analytic advantage that optimises pass@k of the group, k = <see cref="ObjectiveSettings.K"/>.</summary>
public sealed class PassKAdvantage : IAdvantageEstimator
{
    public const string Name = "passk";

    /// <inheritdoc />
    public AdvantageEstimate Estimate(AdvantageInputs inputs) =>
        new(Advantages.PassAtK(inputs.Rewards, inputs.GroupSize, inputs.Settings.K).unsqueeze(1) * inputs.Mask);
}

/// <summary>GRPO with process supervision: step rewards normalised over the group, summed over the steps still ahead.</summary>
public sealed class GrpoProcessAdvantage : IAdvantageEstimator
{
    public const string Name = "grpo-process";

    /// <inheritdoc />
    public AdvantageEstimate Estimate(AdvantageInputs inputs) =>
        new(Advantages.GrpoProcess(StepPlacement.Require(inputs.StepRewards), inputs.GroupSize, inputs.Mask, inputs.Settings.Epsilon));
}

/// <summary>PPO's GAE on the token rewards with a learned critic, whitened over the batch as verl does.</summary>
public sealed class GaeAdvantage : IAdvantageEstimator
{
    public const string Name = "gae";

    /// <inheritdoc />
    public bool NeedsCritic => true;

    /// <inheritdoc />
    public AdvantageEstimate Estimate(AdvantageInputs inputs)
    {
        var values = inputs.Values ?? throw new ArgumentException("GAE reads a critic's values; none were given.", nameof(inputs));
        var (gae, returns) = Advantages.Gae(inputs.TokenRewards, values, inputs.Mask, inputs.Settings.Gamma, inputs.Settings.Lambda);
        return new(Advantages.Whiten(gae, inputs.Mask), returns);
    }
}

/// <summary>REINFORCE++: the token rewards' return to go less the group's mean return, normalised over the whole batch; no critic.</summary>
public sealed class ReinforcePlusPlusAdvantage : IAdvantageEstimator
{
    public const string Name = "reinforce-pp";

    /// <inheritdoc />
    public AdvantageEstimate Estimate(AdvantageInputs inputs) =>
        new(Advantages.ReinforcePlusPlus(inputs.TokenRewards, inputs.Mask, inputs.GroupSize));
}
