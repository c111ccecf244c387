namespace Rlvr.Tasks;

/// <summary>A procedural task: generates problems at a chosen difficulty and writes worked solutions for them.</summary>
/// <remarks>
/// Generation is a pure function of the arguments: the same difficulty and the same <see cref="Random"/> state give
/// the same problem. Implementations are thread-safe.
/// </remarks>
public interface IProblemGenerator
{
    /// <summary>Every character that prompts and solutions can contain.</summary>
    string Alphabet { get; }

    /// <summary>The difficulties this task can generate, given its options.</summary>
    DifficultyRange Difficulties { get; }

    /// <summary>Generates one problem at <paramref name="difficulty"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The difficulty lies outside <see cref="Difficulties"/>.</exception>
    Problem Generate(int difficulty, Random random);

    /// <summary>Writes a worked solution of <paramref name="problem"/>, with steps made wrong as <paramref name="noise"/> says.</summary>
    /// <returns>The completion text, in the same format as <see cref="Problem.Solution"/>.</returns>
    string WriteSolution(Problem problem, SolutionNoise noise, Random random);
}
