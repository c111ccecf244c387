// Text helpers shared by the generators and the verifier: building problems, scanning numbers, splitting lines.
// Parsing is total: it reports failure and never throws, whatever the text.
using System.Security.Cryptography;
using System.Text;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Arithmetic;

internal static class ArithmeticText
{
    public const char AnswerMark = '#';
    private const int MaxDigits = 9;                     // longer numbers are malformed: no overflow anywhere downstream

    public static Problem CreateProblem(string prompt, string solution, long answer, int difficulty) =>
        new(StableId(prompt), prompt, solution, answer.ToString(System.Globalization.CultureInfo.InvariantCulture), difficulty);

    // string.GetHashCode is randomized per process, so the id is a prefix of the prompt's SHA-256.
    public static string StableId(string prompt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))[..16];

    public static string Format(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Reads [-]digits at text[pos..], at most MaxDigits digits; advances pos past it on success.
    public static bool TryReadNumber(ReadOnlySpan<char> text, ref int pos, bool allowSign, out long value)
    {
        value = 0;
        int i = pos;
        bool negative = allowSign && i < text.Length && text[i] == '-';
        if (negative) i++;
        int start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            if (i - start == MaxDigits) return false;
            value = value * 10 + (text[i] - '0');
            i++;
        }
        if (i == start) return false;
        if (negative) value = -value;
        pos = i;
        return true;
    }

    public static bool TryReadChar(ReadOnlySpan<char> text, ref int pos, char expected)
    {
        if (pos >= text.Length || text[pos] != expected) return false;
        pos++;
        return true;
    }

    // The lines of a completion, each with its span. A step's span includes its terminating '\n', so every step
    // covers at least one character and every character before the answer line belongs to exactly one step.
    public static List<(int Start, int Length)> Lines(string text)
    {
        var lines = new List<(int, int)>();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            lines.Add((start, end - start));
            start = end;
        }
        return lines;
    }

    // The line's text without its '\n'.
    public static ReadOnlySpan<char> Text(string text, (int Start, int Length) line) =>
        text.AsSpan(line.Start, line.Length).TrimEnd('\n');
}
