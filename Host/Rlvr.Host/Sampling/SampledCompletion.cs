namespace Rlvr.Sampling;

/// <summary>One sampled completion. Row i of a call belongs to prompt i / G.</summary>
/// <param name="Prompt">The index of the prompt it completes.</param>
/// <param name="Tokens">The generated token ids, ending with EOS unless truncated or ended by a failed tool call.</param>
/// <param name="LogProbs">The log-probability of each token under softmax(logits / τ), the tempered distribution (top-p decides the draw but is not renormalised here; 0 when greedy or written by a tool).</param>
/// <param name="Truncated">Whether MaxNewTokens was reached without EOS.</param>
/// <param name="ToolWritten">Per token, whether a tool wrote it rather than the model; null when no tool was in the loop.</param>
/// <param name="ToolError">Why a tool call failed and ended the completion; null when none did. Such a completion is malformed.</param>
public sealed record SampledCompletion(int Prompt, int[] Tokens, float[] LogProbs, bool Truncated, bool[]? ToolWritten = null, string? ToolError = null)
{
    /// <summary>The number of tokens before the end token: all of them when truncated or ended by a failed call.</summary>
    public int TextLength => Truncated || ToolError is not null ? Tokens.Length : Tokens.Length - 1;

    /// <summary>Whether token <paramref name="t"/> was written by a tool.</summary>
    public bool IsToolWritten(int t) => ToolWritten?[t] ?? false;
}
