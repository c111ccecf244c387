namespace Rlvr.Tasks;

/// <summary>The verdict on one step of a completion, tied to the characters that wrote it.</summary>
/// <remarks>
/// A step's span is never empty. Line-based tasks include the line's trailing newline, so consecutive steps tile
/// the completion up to its answer; process rewards place a step's reward on the token of its last character.
/// </remarks>
/// <param name="Start">The index of the step's first character in the completion.</param>
/// <param name="Length">The number of characters of the step.</param>
/// <param name="Score">The step's score in [0, 1]: 1 when the step is right.</param>
public readonly record struct StepVerdict(int Start, int Length, double Score)
{
    /// <summary>Whether the step is right.</summary>
    public bool Correct => Score >= 1.0;

    /// <summary>The index one past the step's last character.</summary>
    public int End => Start + Length;
}
