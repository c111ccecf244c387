namespace Rlvr;

/// <summary>The kinds of component a plugin can provide. Each kind has one service interface.</summary>
public enum ComponentKind
{
    /// <summary>A causal language model architecture: <see cref="Models.IModelArchitecture"/>.</summary>
    ModelArchitecture,

    /// <summary>A tokenizer: <see cref="Tokenizers.ITokenizerFactory"/>.</summary>
    Tokenizer,

    /// <summary>A problem generator with a difficulty knob: <see cref="Tasks.IProblemGenerator"/>.</summary>
    Task,

    /// <summary>A verifier of completions: <see cref="Tasks.IVerifier"/>.</summary>
    Verifier,

    /// <summary>A reward function: <see cref="Rewards.IReward"/>.</summary>
    Reward,

    /// <summary>A training signal: <see cref="Training.IAlgorithm"/>.</summary>
    Algorithm,

    /// <summary>A curriculum that picks the next problems: <see cref="Curricula.ICurriculum"/>.</summary>
    Curriculum,

    /// <summary>A destination for metrics, opened per run: <see cref="Metrics.IMetricsSinkFactory"/>.</summary>
    MetricsSink,

    /// <summary>A part of a policy-gradient objective that turns rewards into advantages: <see cref="Objectives.IAdvantageEstimator"/>.</summary>
    AdvantageEstimator,

    /// <summary>A part of a policy-gradient objective, the per-token surrogate and its clipping: <see cref="Objectives.IPolicyLoss"/>.</summary>
    PolicyLoss,

    /// <summary>A part of a policy-gradient objective that reduces per-token losses to one: <see cref="Objectives.ILossAggregation"/>.</summary>
    LossAggregation,

    /// <summary>A part of a policy-gradient objective, a per-token estimator of KL to the reference: <see cref="Objectives.IKlEstimator"/>.</summary>
    KlEstimator,

    /// <summary>A part of a policy-gradient objective that places rewards on tokens: <see cref="Objectives.IRewardPlacement"/>.</summary>
    RewardPlacement,

    /// <summary>A tool the model calls in its text, such as a calculator: <see cref="Tools.ITool"/>.</summary>
    Tool,
}
