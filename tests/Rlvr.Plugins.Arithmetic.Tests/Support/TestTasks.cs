// Builds arithmetic tasks directly from options, without a host.
using Microsoft.Extensions.Options;
using Rlvr.Plugins.Arithmetic;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Arithmetic.Tests.Support;

internal static class TestTasks
{
    public static ArithmeticTask Create(string generator, int minDifficulty = 2, int maxDifficulty = 6, int maxOperand = 50, bool shuffle = true, bool toolCalls = false) =>
        new(Options.Create(new ArithmeticOptions
        {
            Generator = generator,
            MinDifficulty = minDifficulty,
            MaxDifficulty = maxDifficulty,
            MaxOperand = maxOperand,
            MaxConstant = Math.Min(9, maxOperand),
            Shuffle = shuffle,
            ToolCalls = toolCalls,
        }));

    // The widest range each generator accepts under the options' [Range] limits.
    public static ArithmeticTask Widest(string generator) =>
        Create(generator, generator == ArithmeticOptions.ChainSum ? 2 : 1, 20);

    public static IEnumerable<Problem> Sample(IProblemGenerator task, int perDifficulty, int seed)
    {
        var random = new Random(seed);
        for (int d = task.Difficulties.Min; d <= task.Difficulties.Max; d++)
            for (int i = 0; i < perDifficulty; i++)
                yield return task.Generate(d, random);
    }

    public static Problem Hand(string prompt, string answer, int difficulty = 3) => new("hand", prompt, "", answer, difficulty);

    public static readonly string[] Generators = [ArithmeticOptions.ChainSum, ArithmeticOptions.DependencyGraph];

    public static TheoryData<string> GeneratorData => new(Generators);
}
