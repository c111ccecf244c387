using Rlvr.Tasks;

namespace Rlvr.Training;

/// <summary>The host's batched sampler and scorer, offered to algorithms.</summary>
public interface IRolloutEngine
{
    /// <summary>
    /// Samples <paramref name="groupSize"/> completions of every problem with the current policy and scores each
    /// with the run's verifier and rewards.
    /// </summary>
    /// <returns>A batch the caller owns; its tensors belong to the caller's dispose scope.</returns>
    RolloutBatch Generate(IReadOnlyList<Problem> problems, int groupSize);
}
