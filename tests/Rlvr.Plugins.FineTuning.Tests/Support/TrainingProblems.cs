// Problem streams for tests: fresh seeded problems from the task, or the same fixed list at every draw.
using Rlvr.Tasks;
using Rlvr.Training;

namespace Rlvr.Plugins.FineTuning.Tests.Support;

internal sealed class GeneratedProblems(int seed) : ITrainingProblems
{
    private readonly Random _random = new(seed);

    public IReadOnlyList<Problem> Next(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => TinyWorld.Task.Generate(_random.Next(2, 4), _random))];
}

internal sealed class FixedProblems(params Problem[] problems) : ITrainingProblems
{
    public int Draws { get; private set; }

    // The first `count` of the list, cycling if it is shorter.
    public IReadOnlyList<Problem> Next(int count)
    {
        Draws++;
        return [.. Enumerable.Range(0, count).Select(i => problems[i % problems.Length])];
    }
}
