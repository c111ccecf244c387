using Rlvr.Curricula;
using Rlvr.Tasks;
using Rlvr.Training;

namespace Rlvr.Host.Training;

/// <summary>
/// Training problems for an algorithm: the curriculum's choice when the study names one, otherwise difficulties drawn
/// uniformly from the arm's band. Seeded, and never a held-out problem (the source excludes them).
/// </summary>
public sealed class TrainingProblems(IProblemSource source, DifficultyRange band, ICurriculum? curriculum, Random random) : ITrainingProblems
{
    public IReadOnlyList<Problem> Next(int count) => curriculum is not null
        ? curriculum.Next(count, source, random)
        : Enumerable.Range(0, count).Select(_ => source.Draw(random.Next(band.Min, band.Max + 1), random)).ToArray();
}
