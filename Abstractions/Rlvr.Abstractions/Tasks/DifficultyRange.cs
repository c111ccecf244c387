namespace Rlvr.Tasks;

/// <summary>The inclusive range of difficulties a task can generate.</summary>
/// <param name="Min">The easiest difficulty.</param>
/// <param name="Max">The hardest difficulty.</param>
public readonly record struct DifficultyRange(int Min, int Max)
{
    /// <summary>Whether <paramref name="difficulty"/> lies in the range.</summary>
    public bool Contains(int difficulty) => difficulty >= Min && difficulty <= Max;

    /// <inheritdoc />
    public override string ToString() => $"{Min}..{Max}";
}
