using System.Text.Json.Nodes;
using Rlvr.Tasks;

namespace Rlvr.Curricula;

/// <summary>Chooses which problems come next, and learns from how they went.</summary>
/// <remarks>
/// A curriculum is stateful and belongs to one run: the host creates one per run and calls it from the run's
/// thread. Its state is saved in every checkpoint, so that a resumed run chooses as the uninterrupted one would.
/// </remarks>
public interface ICurriculum
{
    /// <summary>Draws the next <paramref name="count"/> training problems from <paramref name="source"/>.</summary>
    IReadOnlyList<Problem> Next(int count, IProblemSource source, Random random);

    /// <summary>Records the score a problem received (for example, the mean reward of its group).</summary>
    void Observe(Problem problem, double score);

    /// <summary>The state to put in a checkpoint.</summary>
    JsonObject SaveState();

    /// <summary>Restores a state written by <see cref="SaveState"/>.</summary>
    void LoadState(JsonObject state);
}
