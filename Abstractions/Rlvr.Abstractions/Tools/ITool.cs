namespace Rlvr.Tools;

/// <summary>
/// A tool the model calls in its own text, such as a calculator: the model writes a call (<c>&lt;12+7=</c>), the
/// host stops that row, asks the tool, writes the tool's output (<c>19&gt;</c>) into the sequence, and sampling goes
/// on. The tokens the tool writes are context: they get no log-probability, no policy-gradient loss and no KL, and
/// in pretraining and SFT traces they are not targets.
/// </summary>
/// <remarks>Implementations are thread-safe and deterministic: the same text gives the same reply.</remarks>
public interface ITool
{
    /// <summary>The text that closes a call (the calculator's <c>=</c>); the host asks the tool only when a completion ends with it.</summary>
    string CallEnd { get; }

    /// <summary>The reply to the call that <paramref name="text"/> ends with.</summary>
    /// <param name="text">The completion so far, ending with <see cref="CallEnd"/>.</param>
    /// <returns>Null when the text does not end with a call (the model wrote <see cref="CallEnd"/> for another
    /// reason) and sampling simply goes on; otherwise the tool's output, or why the call is malformed.</returns>
    ToolReply? Reply(string text);
}

/// <summary>A tool's answer to one call: the text it writes, or why the call cannot be answered.</summary>
/// <param name="Output">What the tool writes after the call; null when the call failed.</param>
/// <param name="Error">Why the call failed; null when it succeeded. A failed call ends the completion, which is scored as malformed.</param>
public sealed record ToolReply(string? Output, string? Error)
{
    /// <summary>A call answered with <paramref name="output"/>.</summary>
    public static ToolReply Of(string output) => new(output ?? throw new ArgumentNullException(nameof(output)), null);

    /// <summary>A call that cannot be answered, and why.</summary>
    public static ToolReply Malformed(string error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));
}
