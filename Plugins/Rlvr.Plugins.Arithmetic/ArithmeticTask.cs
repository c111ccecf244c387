// The "arithmetic" task: the generator the options pick, behind IProblemGenerator. WriteSolution reads the problem's
// kind from its prompt, so a task configured for one generator still writes solutions for the other's problems.
// With ToolCalls, solutions call the calculator for every step (CalculatorTool.cs) and the alphabet holds its marks.
using Microsoft.Extensions.Options;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Arithmetic;

internal sealed class ArithmeticTask : IProblemGenerator
{
    private readonly IArithmeticGenerator _generator;
    private readonly bool _toolCalls;

    public ArithmeticTask(IOptions<ArithmeticOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _generator = o.Generator switch
        {
            ArithmeticOptions.ChainSum => new ChainSumGenerator(o.MaxOperand),
            ArithmeticOptions.DependencyGraph => new DependencyGraphGenerator(o.MaxOperand, o.MaxConstant, o.Shuffle),
            _ => throw new ArgumentException($"Unknown arithmetic generator \"{o.Generator}\"; use \"{ArithmeticOptions.ChainSum}\" or \"{ArithmeticOptions.DependencyGraph}\".", nameof(options)),
        };
        if (o.MinDifficulty < _generator.MinDifficulty || o.MinDifficulty > o.MaxDifficulty)
            throw new ArgumentException($"Difficulties {o.MinDifficulty}..{o.MaxDifficulty} are not a range the {o.Generator} generator can make (its minimum is {_generator.MinDifficulty}).", nameof(options));
        if (o.Generator == ArithmeticOptions.DependencyGraph && o.MaxConstant > o.MaxOperand)
            throw new ArgumentException($"MaxConstant {o.MaxConstant} exceeds MaxOperand {o.MaxOperand}: graph values would leave 0..MaxOperand.", nameof(options));
        Difficulties = new DifficultyRange(o.MinDifficulty, o.MaxDifficulty);
        _toolCalls = o.ToolCalls;
    }

    public string Alphabet => _toolCalls ? $"{_generator.Alphabet}{CalculatorTool.Open}{CalculatorTool.Close}" : _generator.Alphabet;

    public DifficultyRange Difficulties { get; }

    public Problem Generate(int difficulty, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!Difficulties.Contains(difficulty))
            throw new ArgumentOutOfRangeException(nameof(difficulty), difficulty, $"Difficulty {difficulty} is outside this task's range {Difficulties} (MinDifficulty..MaxDifficulty in its options).");
        var problem = _generator.Generate(difficulty, random);
        return _toolCalls ? problem with { Solution = CalculatorTool.WithCalls(problem.Solution) } : problem;
    }

    public string WriteSolution(Problem problem, SolutionNoise noise, Random random) =>
        _toolCalls ? CalculatorTool.WithCalls(Write(problem, SolutionNoise.None, random)) : Write(problem, noise, random);

    private static string Write(Problem problem, SolutionNoise noise, Random random)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (ChainSumGenerator.TryParsePrompt(problem.Prompt, out var terms))
            return ChainSumGenerator.WriteSolution(terms, noise, random);
        if (DependencyGraphGenerator.TryParsePrompt(problem.Prompt, out var graph))
            return DependencyGraphGenerator.WriteSolution(graph, noise, random);
        throw new ArgumentException($"Problem {problem.Id} is not an arithmetic problem: cannot read its prompt \"{problem.Prompt}\".", nameof(problem));
    }
}
