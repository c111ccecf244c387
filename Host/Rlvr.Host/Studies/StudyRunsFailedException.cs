// A study goes on past a run that fails: the other seeds, and the arms of the same seed that do not start from the
// failed run, still finish. What did not finish is reported at the end, once, and a second run computes only that.
namespace Rlvr.Host.Studies;

/// <summary>A run of a study that did not finish.</summary>
/// <param name="Arm">The arm, or <c>base</c>.</param>
/// <param name="Error">What stopped it; null when it was skipped because the run it starts from failed.</param>
/// <param name="StartsFrom">For a skipped run, the failed run it starts from.</param>
/// <param name="RlSeed">The arm run's RL seed; null without RlSeeds, and for a base.</param>
public sealed record RunFailure(string Arm, int Seed, Exception? Error, string? StartsFrom = null, int? RlSeed = null)
{
    /// <summary>One line: the run and the first line of its error, or why it was skipped.</summary>
    public override string ToString() => Error is null
        ? $"{Run}: not run, it starts from {StartsFrom}, which failed"
        : $"{Run}: {Error.Message.Split('\n')[0].Trim()}";

    private string Run => RlSeed is int rl ? $"{Arm} seed {Seed} RL seed {rl}" : $"{Arm} seed {Seed}";
}

/// <summary>Some runs of a study did not finish; every other run did, and is kept for the next attempt to reuse.</summary>
public sealed class StudyRunsFailedException(IReadOnlyList<RunFailure> failures) : Exception(
    $"{failures.Count} run(s) of the study did not finish; every other run finished and is kept, and running the study " +
    $"again computes only these, each from its last checkpoint:\n  {string.Join("\n  ", failures)}")
{
    /// <summary>The runs that failed or were skipped, seed by seed.</summary>
    public IReadOnlyList<RunFailure> Failures { get; } = failures;
}
