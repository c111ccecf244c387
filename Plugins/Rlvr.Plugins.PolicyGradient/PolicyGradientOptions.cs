// Options of the policy-gradient engine. Every named algorithm ("grpo", "dapo", "ppo", ...) is a preset: a subclass
// that only changes defaults, bound to its own section, so a study can tune one arm without touching another and a
// key the algorithm does not have is rejected by name. The objective's parts (Advantage, PolicyLoss, LossAggregation,
// KlEstimator, Rewards) are names in their registries, checked when the host starts. Defaults follow verl where the
// papers leave a choice.
using System.ComponentModel.DataAnnotations;
using Rlvr.Objectives;

namespace Rlvr.PolicyGradient;

/// <summary>What every policy-gradient algorithm shares: batch, optimiser, clipped surrogate, KL and length handling.</summary>
public abstract class PolicyOptimizationOptions
{
    [Range(1, 4096)] public int PromptsPerStep { get; set; } = 16;                 // problems drawn per step
    [Range(1, 1024)] public int GroupSize { get; set; } = 8;                       // completions sampled per problem (G)

    [Range(0.0, 1.0, MinimumIsExclusive = true)] public double LearningRate { get; set; } = 1e-4;
    [Range(0, 100_000)] public int WarmupSteps { get; set; } = 10;                 // linear warm-up, then constant (verl's default)
    [Range(0.0, 1.0)] public double WeightDecay { get; set; } = 0.0;
    [Range(0.0, 1.0)] public double Beta1 { get; set; } = 0.9;
    [Range(0.0, 1.0)] public double Beta2 { get; set; } = 0.99;
    [Range(0.0, 1e6)] public double GradClip { get; set; } = 1.0;                  // max global grad norm; 0 turns clipping off

    [Range(1, 64)] public int Epochs { get; set; } = 1;                            // optimisation passes over each rollout batch
    [Range(1, 1024)] public int MiniBatches { get; set; } = 1;                     // optimiser steps per pass; rows shuffled into this many parts

    [Range(0.0, 1.0)] public double ClipLow { get; set; } = 0.2;                  // eps_low: the ratio may fall to 1 - eps_low
    [Range(0.0, 10.0)] public double ClipHigh { get; set; } = 0.2;                // eps_high: the ratio may rise to 1 + eps_high (DAPO: 0.28)
    [Range(0.0, 100.0)] public double DualClip { get; set; } = 0.0;                // c of dual-clip PPO for A < 0 (typically 3); 0 turns it off

    public string Advantage { get; set; } = GrpoAdvantage.Name;                    // an advantage estimator
    public string PolicyLoss { get; set; } = ClippedTokenRatio.Name;               // the surrogate and its clipping
    public string LossAggregation { get; set; } = TokenMean.Name;                  // how per-token losses become one
    public string Rewards { get; set; } = OutcomePlacement.Name;                   // where rewards sit among the tokens (GAE, REINFORCE++)

    [Range(0.0, 100.0)] public double KlCoefficient { get; set; } = 0.0;           // beta; 0 keeps no reference model at all
    public string KlEstimator { get; set; } = K3.Name;                             // the KL in the loss, and the kl metric
    public string RewardKlEstimator { get; set; } = K1.Name;                       // the KL penalty in the reward
    [AllowedValues("loss", "reward")] public string KlIn { get; set; } = "loss";  // k3 in the loss (GRPO), k1 in the reward (PPO-RLHF)

    [Range(0, 8192)] public int OverlongBuffer { get; set; } = 0;                 // L_buf of DAPO's soft overlong penalty; 0 turns it off
    public bool MaskTruncated { get; set; }                                        // drop completions that hit the token limit from the loss

    /// <summary>The knobs the objective's parts read.</summary>
    internal virtual ObjectiveSettings Settings() => new(ClipLow, ClipHigh, DualClip);

    /// <summary>The cap on rollout rounds when dynamic sampling is on; null when it is off.</summary>
    internal virtual int? DynamicSamplingRounds => null;

    /// <summary>How to train a critic, for an advantage estimator that needs one; null when the preset has none.</summary>
    internal virtual CriticSettings? CriticTraining() => null;
}

/// <summary>The GRPO family: a group of completions per problem and an advantage computed within the group.</summary>
public class GroupPolicyOptions : PolicyOptimizationOptions
{
    [AllowedValues("group", "batch", "none")] public string Scale { get; set; } = "group";   // GRPO's divisor; "none" is Dr. GRPO
    [Range(0.0, 1.0)] public double Epsilon { get; set; } = 1e-6;                 // added to the std
    [Range(1, 1024)] public int K { get; set; } = 4;                               // k of the pass@k advantage

    public bool DynamicSampling { get; set; }                                      // DAPO: drop groups whose rewards all match, sample more
    [Range(1, 100)] public int MaxSamplingRounds { get; set; } = 3;               // cap on rollout rounds per step with dynamic sampling

    internal override ObjectiveSettings Settings() => base.Settings() with { Scale = Scale, Epsilon = Epsilon, K = K };

    internal override int? DynamicSamplingRounds => DynamicSampling ? MaxSamplingRounds : null;
}

/// <summary>GRPO (DeepSeekMath): group-normalised outcome advantage, the paper's per-sequence mean of token losses.</summary>
public sealed class GrpoOptions : GroupPolicyOptions
{
    public GrpoOptions() => LossAggregation = SeqMeanTokenMean.Name;
}

/// <summary>Dr. GRPO: no std division and a constant length normaliser, removing both of GRPO's biases.</summary>
public sealed class DrGrpoOptions : GroupPolicyOptions
{
    public DrGrpoOptions() => (Scale, LossAggregation) = ("none", SeqMeanTokenSumNorm.Name);
}

/// <summary>DAPO: clip-higher, dynamic sampling, token-mean loss and a soft overlong penalty.</summary>
public sealed class DapoOptions : GroupPolicyOptions
{
    public DapoOptions() => (ClipHigh, DynamicSampling, LossAggregation, OverlongBuffer) = (0.28, true, TokenMean.Name, 8);
}

/// <summary>RLOO: each completion's baseline is the mean reward of the others in its group.</summary>
public sealed class RlooOptions : GroupPolicyOptions
{
    public RlooOptions() => Advantage = RlooAdvantage.Name;
}

/// <summary>Pass@k training: the analytic advantage that optimises pass@k of the group instead of pass@1.</summary>
public sealed class PassKOptions : GroupPolicyOptions
{
    public PassKOptions() => Advantage = PassKAdvantage.Name;
}

/// <summary>GRPO with process supervision: step rewards normalised over the group, summed over the steps still ahead.</summary>
public sealed class GrpoProcessOptions : GroupPolicyOptions
{
    public GrpoProcessOptions() => (Advantage, LossAggregation) = (GrpoProcessAdvantage.Name, SeqMeanTokenMean.Name);
}

/// <summary>
/// GSPO: the clipped surrogate on each sequence's length-normalised importance ratio, with the small clip range of the
/// paper (3e-4 below, 4e-4 above), group-normalised advantages and the per-sequence mean of token losses.
/// </summary>
public sealed class GspoOptions : GroupPolicyOptions
{
    public GspoOptions() => (PolicyLoss, ClipLow, ClipHigh, LossAggregation) = (ClippedSequenceRatio.Name, 3e-4, 4e-4, SeqMeanTokenMean.Name);
}

/// <summary>
/// REINFORCE++ with a group baseline: the reward less the group's mean, normalised over the whole batch, no critic;
/// with a KL coefficient, the k1 penalty goes into the token rewards.
/// </summary>
public sealed class ReinforcePlusPlusOptions : GroupPolicyOptions
{
    public ReinforcePlusPlusOptions() => (Advantage, KlIn) = (ReinforcePlusPlusAdvantage.Name, "reward");
}

/// <summary>PPO with a learned critic and GAE; the reward sits on the last generated token, or on each step's last token.</summary>
public class PpoOptions : PolicyOptimizationOptions
{
    public PpoOptions() => (Advantage, GroupSize, Epochs, MiniBatches) = (GaeAdvantage.Name, 8, 2, 2);

    [AllowedValues("head", "separate")] public string Critic { get; set; } = "head";    // a value head on the policy, or a copy of it with its own head
    [Range(0.0, 1.0)] public double Gamma { get; set; } = 1.0;
    [Range(0.0, 1.0)] public double Lambda { get; set; } = 0.95;
    [Range(0.0, 100.0)] public double ValueClip { get; set; } = 0.2;              // values may move this far from the rollout's; 0 turns it off
    [Range(0.0, 100.0)] public double ValueCoefficient { get; set; } = 0.5;       // weight of the value loss when the critic shares the policy
    [Range(0.0, 1.0, MinimumIsExclusive = true)] public double CriticLearningRate { get; set; } = 1e-3;   // the separate critic's, and the value head's
    [Range(0, 100_000)] public int CriticWarmupSteps { get; set; }                 // steps that train only the critic before the policy moves

    internal override ObjectiveSettings Settings() => base.Settings() with { Gamma = Gamma, Lambda = Lambda };

    internal override CriticSettings CriticTraining() =>
        new(Critic == "separate", CriticLearningRate, ValueClip, ValueCoefficient, CriticWarmupSteps);
}

/// <summary>PPO-process: each step's reward on the step's last token, then GAE.</summary>
public sealed class PpoProcessOptions : PpoOptions
{
    public PpoProcessOptions() => Rewards = StepPlacement.Name;
}
