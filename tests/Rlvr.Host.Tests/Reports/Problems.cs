// Hand-built per-problem results for the report tests.
using Rlvr.Host.Evaluation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rlvr.Host.Tests.Reports;

internal static class Problems
{
    /// <summary>A problem with n samples and the given distinct correct completions; c is their total.</summary>
    public static ProblemResult With(string id, int n, IReadOnlyDictionary<string, int> paths, int difficulty = 2, IReadOnlyDictionary<string, int>? answers = null) =>
        new(id, difficulty, $"{id}=", "7", n, paths.Values.Sum(), paths.Values.Sum(), paths, answers);

    /// <summary>A problem with n samples, c of them correct, all on one path.</summary>
    public static ProblemResult Counts(string id, int n, int c, int difficulty = 2) =>
        With(id, n, c == 0 ? new Dictionary<string, int>() : new Dictionary<string, int> { [$"{id}:path\n#7"] = c }, difficulty);

    /// <summary>The evaluation the evaluator would have written for these problems.</summary>
    public static EvaluationResult Evaluated(params ProblemResult[] problems) =>
        new Evaluator(new EvaluationOptions(), NullLogger.Instance).Summarise(problems, samplesPerSecond: 1000);   // NaN is not JSON
}
