// Held-out and training problems of a task, disjoint by construction: the held-out set is drawn first from its own
// seed, and the training stream rejects any problem whose id is held out.
using Rlvr.Curricula;
using Rlvr.Tasks;

namespace Rlvr.Host.Data;

/// <summary>Builds a task's held-out set and the training source that never yields one of its problems.</summary>
public static class ProblemSets
{
    /// <summary>
    /// <paramref name="count"/> distinct problems, difficulties cycling through <paramref name="difficulties"/> so
    /// every level has an equal share.
    /// </summary>
    /// A task with a held-out split (<see cref="IHeldOutSplit"/>) gives the first <paramref name="count"/> of its split's
    /// problems within <paramref name="difficulties"/>, the same for every seed.
    /// <exception cref="InvalidOperationException">The task cannot produce that many distinct problems.</exception>
    public static IReadOnlyList<Problem> HeldOut(IProblemGenerator task, DifficultyRange difficulties, int count, int seed)
    {
        if (task is IHeldOutSplit { HeldOut.Count: > 0 } split)
        {
            var given = split.HeldOut.Where(p => difficulties.Contains(p.Difficulty)).DistinctBy(p => p.Id).Take(count).ToList();
            return given.Count == count ? given
                : throw new InvalidOperationException($"The task's held-out split has only {given.Count} distinct problems at difficulties {difficulties}; ask for fewer held-out problems.");
        }
        var random = new Random(unchecked(seed * 7919 + 0x0fe1d));             // its own stream; HashCode is salted per process, so never used for seeds
        var ids = new HashSet<string>();
        var problems = new List<Problem>(count);
        int levels = difficulties.Max - difficulties.Min + 1, attempts = 0;
        while (problems.Count < count)
        {
            if (++attempts > count * 100)
                throw new InvalidOperationException($"The task produced only {problems.Count} distinct problems in {attempts} draws; ask for fewer held-out problems.");
            var problem = task.Generate(difficulties.Min + problems.Count % levels, random);
            if (ids.Add(problem.Id)) problems.Add(problem);
        }
        return problems;
    }

    /// <summary>A training source over <paramref name="task"/> that skips every problem of <paramref name="heldOut"/>.</summary>
    public static IProblemSource Training(IProblemGenerator task, IEnumerable<Problem> heldOut) =>
        new TrainingSource(task, heldOut.Select(p => p.Id).ToHashSet());

    private sealed class TrainingSource(IProblemGenerator task, HashSet<string> heldOut) : IProblemSource
    {
        private const int MaxRedraws = 1000;

        public DifficultyRange Difficulties => task.Difficulties;

        public Problem Draw(int difficulty, Random random)
        {
            for (int i = 0; i < MaxRedraws; i++)
            {
                var problem = task.Generate(difficulty, random);
                if (!heldOut.Contains(problem.Id)) return problem;
            }
            throw new InvalidOperationException($"{MaxRedraws} draws at difficulty {difficulty} were all held-out problems; the held-out set covers this level.");
        }
    }
}
