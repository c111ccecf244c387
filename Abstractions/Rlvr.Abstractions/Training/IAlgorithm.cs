namespace Rlvr.Training;

/// <summary>A training signal (SFT, GRPO, PPO, ...): starts sessions that update a policy step by step.</summary>
/// <remarks>Implementations are singletons configured by their options; all per-run state lives in the session.</remarks>
public interface IAlgorithm
{
    /// <summary>Starts training <see cref="TrainingContext.Policy"/>; the session owns its optimiser and any reference model.</summary>
    ITrainingSession Begin(TrainingContext context);
}
