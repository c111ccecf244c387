namespace Rlvr.Sampling;

/// <summary>One sampled completion. Row i of a call belongs to prompt i / G.</summary>
/// <param name="Prompt">The index of the prompt it completes.</param>
/// <param name="Tokens">The generated token ids, ending with EOS unless truncated.</param>
/// <param name="LogProbs">The log-probability of each token under softmax(logits / τ), the tempered distribution (top-p decides the draw but is not renormalised here; 0 when greedy).</param>
/// <param name="Truncated">Whether MaxNewTokens was reached without EOS.</param>
public sealed record SampledCompletion(int Prompt, int[] Tokens, float[] LogProbs, bool Truncated);
