using Rlvr.Tasks;

namespace Rlvr.Training;

/// <summary>The host's batched sampler and scorer, offered to algorithms.</summary>
public interface IRolloutEngine
{
    /// <summary>The most tokens a completion may have, its end token included (L_max of overlong shaping).</summary>
    int MaxNewTokens { get; }

    /// <summary>
    /// τ of the sampling distribution softmax(logits / τ). The policy an algorithm optimises is that distribution, so it
    /// takes its log-probabilities of the sampled tokens at τ too; at τ ≠ 1 the ratio to lp_old is otherwise not 1 on
    /// policy, and clipping cuts the gradient of the tokens it should move.
    /// </summary>
    double Temperature { get; }

    /// <summary>
    /// Samples <paramref name="groupSize"/> completions of every problem with the current policy, scores each with the
    /// run's verifier and reward functions, and reports each group's mean reward to the curriculum.
    /// </summary>
    /// <remarks>
    /// A verifier or reward function that throws or returns NaN for a sample is logged with the sample and scored 0;
    /// the batch goes on.
    /// </remarks>
    /// <returns>A batch whose tensors belong to the caller's dispose scope.</returns>
    RolloutBatch Generate(IReadOnlyList<Problem> problems, int groupSize);
}
