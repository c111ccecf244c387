// Scores each line of a completion of "a*n=" and its answer. Line k is right when it is the previous line (as the
// completion wrote it) plus a, so one slip is one wrong step. Never throws: unreadable text scores wrong.
using System.Globalization;
using Rlvr.Tasks;

namespace Company.RlvrPlugin;

public sealed class StarterVerifier : IVerifier
{
    public Verification Verify(Problem problem, string completion)
    {
        if (string.IsNullOrEmpty(completion)) return Verification.Wrong;

        int hash = completion.IndexOf('#');
        string? answer = hash < 0 ? null : completion[(hash + 1)..].Split('\n')[0];
        if (answer == "") answer = null;
        string work = hash < 0 ? completion : completion[..hash];

        // A problem of another task: its answer is checked, its steps score 0.
        bool ours = StarterTask.TryReadPrompt(problem.Prompt, out int addend, out _);
        var steps = new List<StepVerdict>();
        long previous = 0;
        for (int start = 0; start < work.Length;)
        {
            int newline = work.IndexOf('\n', start);
            int length = (newline < 0 ? work.Length : newline + 1) - start;   // a step's span includes its '\n'
            long expected = previous + addend;
            bool readable = long.TryParse(work.AsSpan(start, length).TrimEnd('\n'), NumberStyles.None, CultureInfo.InvariantCulture, out long written);
            steps.Add(new StepVerdict(start, length, ours && readable && written == expected ? 1.0 : 0.0));
            previous = readable ? written : expected;
            start += length;
        }
        return new Verification(answer == problem.Answer, steps, answer);
    }
}
