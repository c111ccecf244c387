using Rlvr.Tasks;

namespace Rlvr.Curricula;

/// <summary>Training problems of the run's task, never any of its held-out problems.</summary>
public interface IProblemSource
{
    /// <summary>The difficulties the task can generate.</summary>
    DifficultyRange Difficulties { get; }

    /// <summary>Draws a training problem at <paramref name="difficulty"/>.</summary>
    Problem Draw(int difficulty, Random random);
}
