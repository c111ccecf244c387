// Reads word problems from JSONL, one JSON object a line: the question under "question" (or "problem"), the worked
// solution under "answer" (or "solution") with its final answer after "####" (GSM8K) or in \boxed{} (MATH). A
// problem's difficulty is the number of non-empty solution lines before the "####" line (at least 1). Blank lines
// are no problems; every other line that cannot be read is reported as "file:line: why".
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rlvr.Tasks;

namespace Rlvr.Plugins.WordProblems;

internal static class WordProblemFile
{
    /// <summary>The problems of <paramref name="path"/>, and a message for every line that is not one.</summary>
    public static (List<Problem> Problems, List<string> Errors) Read(string path, string promptTemplate)
    {
        var problems = new List<Problem>();
        var errors = new List<string>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (TryParse(line, promptTemplate, out var problem, out string? why)) problems.Add(problem);
            else errors.Add($"{path}:{number}: {why}");
        }
        return (problems, errors);
    }

    private static bool TryParse(string line, string promptTemplate, out Problem problem, out string? why)
    {
        problem = null!;
        JsonElement root;
        try { root = JsonDocument.Parse(line).RootElement; }
        catch (JsonException e) { why = $"not JSON ({e.Message})"; return false; }
        if (root.ValueKind != JsonValueKind.Object) { why = "not a JSON object"; return false; }

        string? question = Text(root, "question") ?? Text(root, "problem");
        string? solution = Text(root, "answer") ?? Text(root, "solution");
        why = question is null ? "no \"question\" (or \"problem\") text"
            : solution is null ? "no \"answer\" (or \"solution\") text"
            : FinalAnswer.Region(solution) is not { } region ? "the answer has no final answer: neither a \"####\" line nor \\boxed{}"
            : FinalAnswer.LastNumber(region) is null ? $"the final answer \"{region.Trim()}\" is not a number"
            : null;
        if (why is not null) return false;

        string answer = FinalAnswer.LastNumber(FinalAnswer.Region(solution!)!)!;
        string prompt = promptTemplate.Replace(WordProblemsOptions.QuestionField, question, StringComparison.Ordinal);
        problem = new Problem(Id(prompt, answer), prompt, solution!, answer, Difficulty(solution!));
        return true;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static int Difficulty(string solution) =>
        Math.Max(1, solution.Split('\n').TakeWhile(l => !l.TrimStart().StartsWith("####", StringComparison.Ordinal)).Count(l => !string.IsNullOrWhiteSpace(l)));

    private static string Id(string prompt, string answer) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt + "\n" + answer)))[..16];
}
