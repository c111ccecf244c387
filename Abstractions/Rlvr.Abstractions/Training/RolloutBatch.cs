using Rlvr.Rewards;
using Rlvr.Tasks;
using static TorchSharp.torch;

namespace Rlvr.Training;

/// <summary>
/// Completions sampled for a batch of problems, G per problem, rows grouped by problem (row i belongs to problem
/// i / G), with their rewards.
/// </summary>
/// <param name="Problems">The problems, in group order.</param>
/// <param name="GroupSize">G, the completions per problem.</param>
/// <param name="Tokens">Prompt and completion token ids, right-padded, shape (B, T).</param>
/// <param name="CompletionMask">1 on generated tokens (EOS included), 0 on prompt and padding, shape (B, T).</param>
/// <param name="SampleLogProbs">The log-probabilities of the generated tokens under the sampling policy, shape (B, T), 0 off the mask.</param>
/// <param name="Completions">The decoded completions, one per row.</param>
/// <param name="Verifications">The verifier's verdict on each row.</param>
/// <param name="Rewards">The combined reward of each row.</param>
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
    IReadOnlyList<bool> Truncated);
