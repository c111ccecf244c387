using Rlvr.Tasks;

namespace Rlvr.Training;

/// <summary>One run of an algorithm on one policy: its optimiser, reference model and step counter.</summary>
/// <remarks>
/// Every method runs on the run's single tensor thread, inside a dispose scope the host opens per step.
/// </remarks>
public interface ITrainingSession : IDisposable
{
    /// <summary>Takes one optimisation step on <paramref name="problems"/> and returns the step's metrics by name.</summary>
    /// <exception cref="ArithmeticException">The loss is not finite; the policy is left as it was before the step.</exception>
    IReadOnlyDictionary<string, double> Step(IReadOnlyList<Problem> problems);

    /// <summary>Writes the session's state (optimiser, reference model, counters) into <paramref name="folder"/>.</summary>
    void Save(string folder);

    /// <summary>Restores the state written by <see cref="Save"/>.</summary>
    void Load(string folder);
}
