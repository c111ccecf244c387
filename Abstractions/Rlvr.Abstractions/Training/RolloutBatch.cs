using Rlvr.Rewards;
using Rlvr.Tasks;
using static TorchSharp.torch;

namespace Rlvr.Training;

/// <summary>
/// Completions sampled for a batch of problems, G per problem, rows grouped by problem (row i belongs to problem
/// i / G), with their verdicts and rewards.
/// </summary>
/// <remarks>
/// Row layout: BOS, prompt, completion (its end token included when it stopped), then padding. Column t of
/// <see cref="SampleLogProbs"/> is the log-probability of token t given tokens before it, so a model's log-probs
/// line up as <c>log_softmax(logits[:, t-1])[tokens[:, t]]</c>.
/// </remarks>
/// <param name="Problems">The problems, in group order.</param>
/// <param name="GroupSize">G, the completions per problem.</param>
/// <param name="Tokens">Token ids, right-padded, shape (B, T), int64.</param>
/// <param name="CompletionMask">1 on tokens the model generated, 0 on BOS, prompt, padding and tokens a tool wrote; shape (B, T), float32.</param>
/// <param name="SampleLogProbs">Log-probabilities of the generated tokens under the sampling policy softmax(logits / τ) (lp_old; τ is <see cref="IRolloutEngine.Temperature"/>), 0 off the mask; shape (B, T), float32.</param>
/// <param name="Completions">The decoded completions, one per row, without the end token.</param>
/// <param name="Verifications">The verifier's verdict on each row.</param>
/// <param name="Rewards">The weighted sum of the reward functions for each row; step rewards placed by character.</param>
/// <param name="RewardsByFunction">Each reward function's own value for each row, by component name.</param>
/// <param name="StepRewards">Per row, the step rewards placed on the column of each step's last token; empty for outcome-only rewards.</param>
/// <param name="Truncated">Whether each row reached the token limit without an end token.</param>
public sealed record RolloutBatch(
    IReadOnlyList<Problem> Problems,
    int GroupSize,
    Tensor Tokens,
    Tensor CompletionMask,
    Tensor SampleLogProbs,
    IReadOnlyList<string> Completions,
    IReadOnlyList<Verification> Verifications,
    IReadOnlyList<RewardScore> Rewards,
    IReadOnlyDictionary<string, IReadOnlyList<double>> RewardsByFunction,
    IReadOnlyList<IReadOnlyList<TokenReward>> StepRewards,
    IReadOnlyList<bool> Truncated)
{
    /// <summary>The number of rows, B = problems × G.</summary>
    public int Count => Completions.Count;

    /// <summary>Seconds spent sampling the completions.</summary>
    public double SamplingSeconds { get; init; }

    /// <summary>Seconds spent verifying and rewarding them.</summary>
    public double ScoringSeconds { get; init; }
}

/// <summary>A reward placed on one token.</summary>
/// <param name="Column">The column in <see cref="RolloutBatch.Tokens"/> of the token that receives the reward.</param>
/// <param name="Value">The reward.</param>
public readonly record struct TokenReward(int Column, double Value);
