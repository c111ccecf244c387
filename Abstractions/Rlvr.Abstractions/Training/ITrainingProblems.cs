using Rlvr.Tasks;

namespace Rlvr.Training;

/// <summary>The stream of training problems an algorithm draws from: the run's curriculum over the task's training set.</summary>
/// <remarks>Never yields a held-out problem. Draws are seeded by the run, so a run is reproducible.</remarks>
public interface ITrainingProblems
{
    /// <summary>The next <paramref name="count"/> training problems.</summary>
    IReadOnlyList<Problem> Next(int count);
}
