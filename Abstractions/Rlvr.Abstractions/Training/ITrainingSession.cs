namespace Rlvr.Training;

/// <summary>One run of an algorithm on one policy: its optimiser, reference model, critic and step counter.</summary>
/// <remarks>
/// Every method runs on the run's single tensor thread; the host opens a dispose scope around each call.
/// </remarks>
public interface ITrainingSession : IDisposable
{
    /// <summary>
    /// Takes one training step: draws problems from <see cref="TrainingContext.Problems"/>, samples or reads
    /// completions, updates the policy, and returns the step's metrics by name (see docs/algorithms.md for the names).
    /// </summary>
    /// <exception cref="ArithmeticException">The loss is not finite; the step's update was not applied.</exception>
    IReadOnlyDictionary<string, double> Step();

    /// <summary>Writes the session's state (optimiser, critic, counters) into <paramref name="folder"/>.</summary>
    /// <remarks>The host saves the policy itself; the reference model is the frozen start and is never saved.</remarks>
    void Save(string folder);

    /// <summary>Restores the state written by <see cref="Save"/>.</summary>
    void Load(string folder);
}
