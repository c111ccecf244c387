using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

/// <summary>Per-token log-probabilities in the layout of <see cref="Rlvr.Training.RolloutBatch"/>.</summary>
public static class TokenLogProbs
{
    /// <summary>
    /// lp[:, t] = log softmax(logits[:, t−1] / τ)[tokens[:, t]] for t ≥ 1, and 0 in column 0 (nothing predicts the first token).
    /// </summary>
    /// <param name="logits">Shape (B, T, V).</param>
    /// <param name="tokens">Shape (B, T), int64.</param>
    /// <param name="temperature">τ of the distribution the tokens were sampled from; 0 (greedy) counts as 1.</param>
    /// <returns>Shape (B, T).</returns>
    public static Tensor Of(Tensor logits, Tensor tokens, double temperature = 1.0)
    {
        long T = tokens.shape[1];
        var scaled = temperature is > 0 and not 1 ? logits / temperature : logits;
        var lp = scaled.narrow(1, 0, T - 1).log_softmax(-1)
            .gather(-1, tokens.narrow(1, 1, T - 1).unsqueeze(-1)).squeeze(-1);                   // (B, T−1)
        return nn.functional.pad(lp, [1, 0]);
    }

    /// <summary>Shifts per-position outputs (a value head's) into the same layout: column t holds position t−1's output.</summary>
    /// <param name="perPosition">Shape (B, T).</param>
    public static Tensor AlignToTokens(Tensor perPosition) =>
        nn.functional.pad(perPosition.narrow(1, 0, perPosition.shape[1] - 1), [1, 0]);
}
