// The text format of the task, shared by the generator and the verifier. Difficulty d = the number of digits of the
// answer, which is also the number of steps: the number n is drawn uniformly from [b^(d-1), b^d - 1].
//   prompt    45>2?                                       n '>' base '?'
//   solution  45/2=22r1\n22/2=11r0\n11/2=5r1\n            one line per division: dividend '/' base '=' quotient 'r'
//             5/2=2r1\n2/2=1r0\n1/2=0r1\n#101101          remainder '\n', the next dividend the quotient, until it is 0;
//                                                         then '#' and the remainders read from the last line up
// Parsing is total: every Try method reports failure and never throws, whatever the text.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rlvr.Tasks;

namespace Contoso.Rlvr.BaseConversion;

internal static class BaseConversionText
{
    /// <summary>Every character a prompt or a solution can hold: the char tokenizer gets 17 characters.</summary>
    public const string Alphabet = "\n#/0123456789=>?r";

    public const char AnswerMark = '#';
    private const int MaxDigits = 9;                 // longer numbers are unreadable, so nothing downstream overflows

    public static string Prompt(long number, int radix) => FormattableString.Invariant($"{number}>{radix}?");

    public static Problem CreateProblem(long number, int radix, int difficulty)
    {
        string prompt = Prompt(number, radix);
        return new Problem(StableId(prompt), prompt, WriteSolution(number, radix, SolutionNoise.None, null), ToBase(number, radix), difficulty);
    }

    // string.GetHashCode is randomized per process; the id must be the same in every process, so it hashes the prompt.
    public static string StableId(string prompt) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))[..16];

    public static string ToBase(long number, int radix)
    {
        var digits = new StringBuilder();
        do
        {
            digits.Insert(0, (char)('0' + number % radix));
            number /= radix;
        }
        while (number > 0);
        return digits.ToString();
    }

    /// <summary>The number of digits of <paramref name="number"/> in base <paramref name="radix"/>.</summary>
    public static int Digits(long number, int radix) => ToBase(number, radix).Length;

    // "n>b?" with 1 <= n <= MaxNumber and 2 <= b <= 9.
    public static bool TryParsePrompt(string? prompt, out long number, out int radix)
    {
        number = radix = 0;
        if (prompt is null) return false;
        var text = prompt.AsSpan();
        int pos = 0;
        if (!TryReadNumber(text, ref pos, out number) || !TryReadChar(text, ref pos, '>') || !TryReadNumber(text, ref pos, out long b)
            || !TryReadChar(text, ref pos, '?') || pos != text.Length)
            return false;
        if (number < 1 || number > BaseConversionOptions.MaxNumber || b < 2 || b > 9) return false;
        radix = (int)b;
        return true;
    }

    // The noise model (SolutionNoise), exactly:
    //  - Clean (SolutionNoise.None, or StepError 0): no random draws at all; the text is Problem.Solution.
    //  - Otherwise one draw per solution first: repair = Bernoulli(RightAnswerAfterError). Then, for each line in
    //    order, slip = Bernoulli(StepError). A slipped line whose true quotient is at least 1 writes, with
    //    probability 1/2, the quotient one too small (the remainder stays as it is); otherwise it writes a wrong
    //    remainder, drawn uniformly from the other digits of the base. Either way the line's arithmetic is wrong.
    //  - repair = false ("continue"): the next line divides the quotient this line wrote, and the answer is the
    //    remainders as written; so a slip makes the answer wrong (unless two slips happen to cancel). A quotient
    //    slipped to 0 ends the solution early; a slip never makes it longer.
    //  - repair = true ("local slip"): the next line divides the true quotient and the answer line is the true
    //    answer, so the slip stays in its own line.
    // The verifier accepts both kinds of dividend, so exactly the slipped lines verify as wrong.
    public static string WriteSolution(long number, int radix, SolutionNoise noise, Random? random)
    {
        CheckProbability(noise.StepError, nameof(noise.StepError));
        CheckProbability(noise.RightAnswerAfterError, nameof(noise.RightAnswerAfterError));
        bool noisy = noise.StepError > 0;
        if (noisy) ArgumentNullException.ThrowIfNull(random);
        bool repair = noisy && random!.NextDouble() < noise.RightAnswerAfterError;

        var text = new StringBuilder();
        var remainders = new StringBuilder();
        long dividend = number;
        while (dividend > 0)
        {
            long quotient = dividend / radix, remainder = dividend % radix;
            long writtenQuotient = quotient, writtenRemainder = remainder;
            if (noisy && random!.NextDouble() < noise.StepError)
            {
                if (quotient >= 1 && random.Next(2) == 0) writtenQuotient = quotient - 1;
                else writtenRemainder = (remainder + random.Next(1, radix)) % radix;
            }
            text.Append(CultureInfo.InvariantCulture, $"{dividend}/{radix}={writtenQuotient}r{writtenRemainder}\n");
            remainders.Insert(0, (char)('0' + writtenRemainder));
            dividend = repair ? quotient : writtenQuotient;
        }
        string answer = repair ? ToBase(number, radix) : remainders.ToString();
        return text.Append(AnswerMark).Append(answer).ToString();
    }

    // Reads digits at text[pos..], at most MaxDigits of them; advances pos past them on success.
    public static bool TryReadNumber(ReadOnlySpan<char> text, ref int pos, out long value)
    {
        value = 0;
        int i = pos;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            if (i - pos == MaxDigits) return false;
            value = value * 10 + (text[i] - '0');
            i++;
        }
        if (i == pos) return false;
        pos = i;
        return true;
    }

    public static bool TryReadChar(ReadOnlySpan<char> text, ref int pos, char expected)
    {
        if (pos >= text.Length || text[pos] != expected) return false;
        pos++;
        return true;
    }

    private static void CheckProbability(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException("noise", p, $"SolutionNoise.{name} must be a probability in [0, 1].");
    }
}
