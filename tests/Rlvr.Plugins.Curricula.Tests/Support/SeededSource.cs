// A problem source that is a pure function of (difficulty, random), like a task's generator: the same Random state
// gives the same problem, so a resumed curriculum can be compared draw for draw with the uninterrupted one.
using Rlvr.Curricula;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula.Tests.Support;

internal sealed class SeededSource(int min = 1, int max = 6) : IProblemSource
{
    public DifficultyRange Difficulties { get; } = new(min, max);

    public Problem Draw(int difficulty, Random random)
    {
        Assert.True(Difficulties.Contains(difficulty), $"difficulty {difficulty} outside {Difficulties}");
        int n = random.Next(1_000_000);
        return new Problem($"{difficulty}-{n}", $"{difficulty}:{n}=", $"{n}", $"{n}", difficulty);
    }

    /// <summary>
    /// A deterministic score: easy problems mostly solved, hard ones mostly not, varied by the problem's number, so
    /// an adaptive level moves both ways and a pool's success rates spread.
    /// </summary>
    public static double Score(Problem problem)
    {
        int n = int.Parse(problem.Id.Split('-')[1]);
        return problem.Difficulty switch
        {
            <= 3 => n % 4 == 0 ? 0.5 : 1.0,
            4 => n % 3 / 2.0,
            _ => n % 4 == 0 ? 0.5 : 0.0,
        };
    }
}
