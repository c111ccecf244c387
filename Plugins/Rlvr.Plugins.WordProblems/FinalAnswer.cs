// Finding and normalising a final answer, in a file's solutions and in completions alike.
//  - Where: after the last "####" (to the end of that line), else inside the last \boxed{...} (braces balanced).
//  - What: the last number there, after \frac{a}{b} (and \dfrac, \tfrac) became a/b and '$', '%' and thousands
//    commas were dropped. A number is [-]digits[.digits][/digits]; a trailing period ends a sentence, not a number.
//  - Normal form: the value as a reduced fraction, "72", "-3" or "1/2"; so 0.5, 1/2 and \frac{2}{4} are equal, and
//    1,000 equals 1000.00.
using System.Numerics;
using System.Text.RegularExpressions;

namespace Rlvr.Plugins.WordProblems;

internal static partial class FinalAnswer
{
    private const string AnswerMark = "####";
    private const string Boxed = @"\boxed{";
    private const int MaxDigits = 40;

    /// <summary>The text the final answer is written in, or null when <paramref name="text"/> marks none.</summary>
    public static string? Region(string text)
    {
        int mark = text.LastIndexOf(AnswerMark, StringComparison.Ordinal);
        if (mark >= 0)
        {
            int start = mark + AnswerMark.Length, end = text.IndexOf('\n', start);
            return text[start..(end < 0 ? text.Length : end)];
        }
        int boxed = text.LastIndexOf(Boxed, StringComparison.Ordinal);
        if (boxed < 0) return null;
        int depth = 1, from = boxed + Boxed.Length;
        for (int i = from; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return text[from..i];
        }
        return null;
    }

    /// <summary>The last number of <paramref name="text"/> in normal form, or null when it has none.</summary>
    public static string? LastNumber(string text)
    {
        string plain = Fraction().Replace(text, "$1/$2").Replace("$", "").Replace("%", "");
        foreach (Match m in Number().Matches(plain).Reverse())
            if (Normalise(m) is { } value) return value;
        return null;
    }

    private static string? Normalise(Match m)
    {
        string whole = m.Groups["whole"].Value.Replace(",", ""), decimals = m.Groups["decimals"].Value, over = m.Groups["over"].Value;
        if (whole.Length + decimals.Length + over.Length > MaxDigits) return null;
        var numerator = BigInteger.Parse(whole + decimals) * (m.Groups["sign"].Success ? -1 : 1);
        var denominator = BigInteger.Pow(10, decimals.Length) * (over.Length > 0 ? BigInteger.Parse(over) : BigInteger.One);
        if (denominator.IsZero) return null;
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsZero) { numerator /= gcd; denominator /= gcd; }
        return denominator.IsOne ? numerator.ToString() : $"{numerator}/{denominator}";
    }

    [GeneratedRegex(@"\\[dt]?frac\{\s*(-?[\d.,]+)\s*\}\{\s*([\d.,]+)\s*\}")]
    private static partial Regex Fraction();

    [GeneratedRegex(@"(?<![\d.,])(?<sign>-)?(?<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?<decimals>\d+))?(?:/(?<over>\d+))?")]
    private static partial Regex Number();
}
