// A source whose problems are p0, p1, p2, ... in the order drawn, so a test knows which problems fill a pool.
using Rlvr.Curricula;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Curricula.Tests.Support;

internal sealed class CountingSource(int min = 1, int max = 6) : IProblemSource
{
    private int _drawn;

    public DifficultyRange Difficulties { get; } = new(min, max);

    public Problem Draw(int difficulty, Random random) => Numbered(_drawn++, difficulty);

    /// <summary>The problem this source draws <paramref name="index"/>-th (its difficulty does not matter to Observe).</summary>
    public static Problem Numbered(int index, int difficulty = 1) => new($"p{index}", $"p{index}=", "", "", difficulty);
}
