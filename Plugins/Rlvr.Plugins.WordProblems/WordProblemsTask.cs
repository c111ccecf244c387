// The "word-problems" task: problems read once from JSONL files (WordProblemFile.cs).
//  - Generate(difficulty, random) draws uniformly, with `random`, among the training file's problems of that
//    difficulty; at a level the file lacks, among those of the nearest level it has (the lower one on a tie). The
//    problem keeps its own difficulty. The same file, difficulty and Random state give the same problem.
//  - The held-out file, when set, is the held-out split (IHeldOutSplit): the host evaluates on it in file order.
//  - WriteSolution returns the file's solution whatever the noise: free text has no step this task could make wrong
//    and a verifier could find, so pretraining sees clean solutions only (pretraining a small model from scratch on a
//    few thousand word problems teaches it little anyway; real models come pretrained).
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Tasks;

namespace Rlvr.Plugins.WordProblems;

internal sealed class WordProblemsTask : IProblemGenerator, IHeldOutSplit
{
    private const int ErrorsShown = 20;
    private readonly SortedDictionary<int, List<Problem>> _levels = [];

    public WordProblemsTask(IOptions<WordProblemsOptions> options, ILogger<WordProblemsTask>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        if (string.IsNullOrEmpty(o.TrainFile))
            throw new InvalidOperationException($"{WordProblemsOptions.Section}:TrainFile is not set: name a JSONL file of word problems.");

        var training = Read(o.TrainFile, "TrainFile", o, logger);
        foreach (var problem in training) (_levels.TryGetValue(problem.Difficulty, out var level) ? level : _levels[problem.Difficulty] = []).Add(problem);
        HeldOut = string.IsNullOrEmpty(o.HeldOutFile) ? [] : Read(o.HeldOutFile, "HeldOutFile", o, logger);
        Difficulties = new DifficultyRange(_levels.Keys.First(), _levels.Keys.Last());
        Alphabet = new string(training.Concat(HeldOut).SelectMany(p => p.Prompt + p.Solution).Distinct().Order().ToArray());
    }

    public string Alphabet { get; }

    public DifficultyRange Difficulties { get; }

    public IReadOnlyList<Problem> HeldOut { get; }

    public Problem Generate(int difficulty, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!Difficulties.Contains(difficulty))
            throw new ArgumentOutOfRangeException(nameof(difficulty), difficulty, $"Difficulty {difficulty} is outside the training file's range {Difficulties} (solution lines per problem).");
        var level = _levels.MinBy(pair => (Math.Abs(pair.Key - difficulty), pair.Key)).Value;
        return level[random.Next(level.Count)];
    }

    public string WriteSolution(Problem problem, SolutionNoise noise, Random random)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Solution;
    }

    private static List<Problem> Read(string path, string key, WordProblemsOptions o, ILogger? logger)
    {
        var (problems, errors) = WordProblemFile.Read(path, o.PromptTemplate);
        if (errors.Count > 0 && o.Malformed == WordProblemsOptions.Refuse)
            throw new InvalidDataException($"{WordProblemsOptions.Section}:{key}: {errors.Count} malformed line(s) (set {WordProblemsOptions.Section}:Malformed to \"skip\" to leave them out):\n"
                + string.Join("\n", errors.Take(ErrorsShown)) + (errors.Count > ErrorsShown ? $"\n... and {errors.Count - ErrorsShown} more" : ""));
        foreach (string error in errors) logger?.LogWarning("Skipped malformed line {Error}", error);
        if (problems.Count == 0)
            throw new InvalidDataException($"{WordProblemsOptions.Section}:{key}: {path} holds no word problem.");
        return problems;
    }
}
