// A tool in the sampling loop: after each token a row writes, the loop asks whether the row's text now ends with a
// call and, if so, what the tool writes next. Only a token whose text ends like the call's end decodes the row.
using Rlvr.Tokenizers;
using Rlvr.Tools;

namespace Rlvr.Sampling;

/// <summary>What follows a row's newest token: nothing, the tool's output tokens, or a failed call.</summary>
/// <param name="Output">The tokens the tool writes next; empty when the row goes on sampling.</param>
/// <param name="Error">Why the call failed; the row then ends and is scored as malformed.</param>
public sealed record ToolStep(int[] Output, string? Error = null)
{
    public static ToolStep None { get; } = new([]);
}

/// <summary>Runs <paramref name="tool"/> on the text of sampled rows, in the token ids of <paramref name="tokenizer"/>.</summary>
public sealed class ToolLoop(ITool tool, ITokenizer tokenizer)
{
    private readonly ITool _tool = tool ?? throw new ArgumentNullException(nameof(tool));
    private readonly char _last = tool.CallEnd is { Length: > 0 } end ? end[^1] : throw new ArgumentException("A tool's CallEnd must not be empty.", nameof(tool));

    /// <summary>What follows <paramref name="completion"/>, a row's completion tokens so far.</summary>
    public ToolStep After(IReadOnlyList<int> completion)
    {
        if (completion.Count == 0 || !tokenizer.Decode([completion[^1]]).EndsWith(_last)) return ToolStep.None;
        string text = tokenizer.Decode([.. completion]);
        if (!text.EndsWith(_tool.CallEnd, StringComparison.Ordinal)) return ToolStep.None;
        ToolReply? reply;
        try
        {
            reply = _tool.Reply(text);
        }
        catch (Exception e)
        {
            return new ToolStep([], $"the tool threw {e.GetType().Name}: {e.Message}");
        }
        if (reply is null) return ToolStep.None;
        if (reply.Output is null) return new ToolStep([], reply.Error ?? "the tool gave neither output nor error");
        try
        {
            return new ToolStep(tokenizer.Encode(reply.Output));
        }
        catch (Exception e)
        {
            return new ToolStep([], $"the tool's output '{reply.Output}' cannot be encoded: {e.Message}");
        }
    }
}
