// Verifies completions of base-conversion problems (format in BaseConversionText.cs).
//  - Lines end at '\n'. The answer line is the first line that starts with '#'; text after it is ignored. The answer
//    is right when the rest of that line equals Problem.Answer exactly: no leading zeros, no spaces. No answer line:
//    wrong, and Verification.Answer is null.
//  - Every line before the answer line is a step, scored 1 or 0. Its span is the line with its '\n', so no step is
//    empty and the steps tile the completion up to the answer line. An unreadable line is a wrong step.
//  - Step k (from 1) "x/b=qrR" is right when b is the problem's base, x is at least 1, q*b + R = x with
//    0 <= R < b (so q and R are the true quotient and remainder of x), and x is a right input: the true k-th dividend
//    (the number itself for k = 1) or the quotient that line k-1 wrote. Honest work after a slip verifies, and so
//    does a line that returns to the true dividend; only the slip itself is wrong (the noise model matches this).
//  - A prompt that is not this task's still gets its answer checked; its steps score 0.
//  - Never throws on a completion: empty, unreadable or huge text is scored.
using Rlvr.Tasks;

namespace Contoso.Rlvr.BaseConversion;

internal sealed class BaseConversionVerifier : IVerifier
{
    public Verification Verify(Problem problem, string completion)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (string.IsNullOrEmpty(completion)) return Verification.Wrong;

        bool ours = BaseConversionText.TryParsePrompt(problem.Prompt, out long number, out int radix);
        long truth = number;             // the true dividend of the next line; 0 once the true work is done
        long? previous = number;         // the quotient the previous line wrote, when it was readable
        var steps = new List<StepVerdict>();
        string? answer = null;
        for (int start = 0; start < completion.Length;)
        {
            int newline = completion.IndexOf('\n', start);
            int end = newline < 0 ? completion.Length : newline + 1;
            var line = completion.AsSpan(start, (newline < 0 ? completion.Length : newline) - start);
            if (line.Length > 0 && line[0] == BaseConversionText.AnswerMark)
            {
                answer = line[1..].ToString();
                break;
            }

            bool readable = TryReadStep(line, out long x, out long b, out long q, out long r);
            bool right = ours && readable && b == radix && x >= 1 && r < b && q * b + r == x && (x == truth || x == previous);
            steps.Add(new StepVerdict(start, end - start, right ? 1.0 : 0.0));
            truth /= Math.Max(radix, 2);
            previous = readable ? q : null;
            start = end;
        }
        return new Verification(answer is not null && answer == problem.Answer, steps, answer);
    }

    // "x/b=qrR", four unsigned numbers of at most 9 digits each.
    private static bool TryReadStep(ReadOnlySpan<char> line, out long x, out long b, out long q, out long r)
    {
        b = q = r = 0;
        int pos = 0;
        return BaseConversionText.TryReadNumber(line, ref pos, out x)
            && BaseConversionText.TryReadChar(line, ref pos, '/')
            && BaseConversionText.TryReadNumber(line, ref pos, out b)
            && BaseConversionText.TryReadChar(line, ref pos, '=')
            && BaseConversionText.TryReadNumber(line, ref pos, out q)
            && BaseConversionText.TryReadChar(line, ref pos, 'r')
            && BaseConversionText.TryReadNumber(line, ref pos, out r)
            && pos == line.Length;
    }
}
