// The "base-conversion" task: write a number in another base by repeated division (format in BaseConversionText.cs).
using Microsoft.Extensions.Options;
using Rlvr.Tasks;

namespace Contoso.Rlvr.BaseConversion;

internal sealed class BaseConversionTask : IProblemGenerator
{
    private readonly int _minBase, _maxBase;

    // rlvr validates the options before it asks for the task; the checks here guard direct use.
    public BaseConversionTask(IOptions<BaseConversionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        if (o.MinBase < 2 || o.MaxBase > 9 || o.MinBase > o.MaxBase)
            throw new ArgumentException($"Bases {o.MinBase}..{o.MaxBase} are not a range within 2..9.", nameof(options));
        if (o.MinDifficulty < 1 || o.MinDifficulty > o.MaxDifficulty || !FitsNumberLimit(o.MaxBase, o.MaxDifficulty))
            throw new ArgumentException($"Difficulties {o.MinDifficulty}..{o.MaxDifficulty} are not a range this task can make in base {o.MaxBase}.", nameof(options));
        _minBase = o.MinBase;
        _maxBase = o.MaxBase;
        Difficulties = new DifficultyRange(o.MinDifficulty, o.MaxDifficulty);
    }

    public string Alphabet => BaseConversionText.Alphabet;

    public DifficultyRange Difficulties { get; }

    /// <summary>Whether every number of <paramref name="digits"/> digits in base <paramref name="radix"/> stays within <see cref="BaseConversionOptions.MaxNumber"/>.</summary>
    public static bool FitsNumberLimit(int radix, int digits)
    {
        long largest = 1;
        for (int i = 0; i < digits; i++)
        {
            largest *= radix;
            if (largest - 1 > BaseConversionOptions.MaxNumber) return false;
        }
        return true;
    }

    // A pure function of its arguments: the base, then the number, both from random.
    public Problem Generate(int difficulty, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!Difficulties.Contains(difficulty))
            throw new ArgumentOutOfRangeException(nameof(difficulty), difficulty, $"Difficulty {difficulty} is outside this task's range {Difficulties} (MinDifficulty..MaxDifficulty in its options).");
        int radix = random.Next(_minBase, _maxBase + 1);
        long low = Power(radix, difficulty - 1), high = Power(radix, difficulty) - 1;
        long number = random.NextInt64(low, high + 1);   // d digits: b^(d-1)..b^d - 1 (1..b-1 for one digit)
        return BaseConversionText.CreateProblem(number, radix, difficulty);
    }

    // Reads the number and the base from the prompt, so it writes solutions for any problem of this task.
    public string WriteSolution(Problem problem, SolutionNoise noise, Random random)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!BaseConversionText.TryParsePrompt(problem.Prompt, out long number, out int radix))
            throw new ArgumentException($"Problem {problem.Id} is not a base-conversion problem: cannot read its prompt \"{problem.Prompt}\".", nameof(problem));
        return BaseConversionText.WriteSolution(number, radix, noise, random);
    }

    private static long Power(int radix, int exponent)
    {
        long value = 1;
        for (int i = 0; i < exponent; i++) value *= radix;
        return value;
    }
}
