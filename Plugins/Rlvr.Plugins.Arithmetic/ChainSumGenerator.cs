// Chain-sum: add d terms left to right, writing every partial sum (Reasoning Gym's basic arithmetic, GSM-Infinite's
// chains of operations, reduced to what a character-level model of 0.8M parameters learns). Difficulty d = terms.
//   prompt    47+1+20+24=                            d terms in 1..MaxOperand joined by '+', then '='
//   solution  1:47+1=48\n2:48+20=68\n3:68+24=92\n#92  step k = 1..d-1: "k:" sum '+' term k+1 '=' new sum '\n';
//                                                      then '#' and the answer, with no trailing '\n'
using System.Globalization;
using System.Text;
using Rlvr.Tasks;

namespace Rlvr.Plugins.Arithmetic;

internal sealed class ChainSumGenerator(int maxOperand) : IArithmeticGenerator
{
    public const string Characters = "\n#+0123456789:=";

    public string Alphabet => Characters;

    public int MinDifficulty => 2;                       // one term has no step to write

    public Problem Generate(int difficulty, Random random)
    {
        var terms = new long[difficulty];
        for (int i = 0; i < terms.Length; i++)
            terms[i] = random.Next(1, maxOperand + 1);
        string prompt = string.Join('+', terms.Select(ArithmeticText.Format)) + "=";
        return ArithmeticText.CreateProblem(prompt, WriteSolution(terms, SolutionNoise.None, random), terms.Sum(), difficulty);
    }

    // The terms of a chain-sum prompt: two or more unsigned numbers joined by '+', ending with '='.
    public static bool TryParsePrompt(string prompt, out long[] terms)
    {
        terms = [];
        var parsed = new List<long>();
        var text = prompt.AsSpan();
        int pos = 0;
        while (true)
        {
            if (!ArithmeticText.TryReadNumber(text, ref pos, allowSign: false, out long term)) return false;
            parsed.Add(term);
            if (ArithmeticText.TryReadChar(text, ref pos, '=')) break;
            if (!ArithmeticText.TryReadChar(text, ref pos, '+')) return false;
        }
        if (pos != text.Length || parsed.Count < 2) return false;
        terms = [.. parsed];
        return true;
    }

    // Noise semantics in Slips.cs. "Continue" carries the written sum; "repair" carries the true one.
    public static string WriteSolution(long[] terms, SolutionNoise noise, Random random)
    {
        var slips = Slips.Start(noise, random);
        bool repair = slips?.Repair ?? false;
        var text = new StringBuilder();
        long written = terms[0], truth = terms[0];
        for (int k = 1; k < terms.Length; k++)
        {
            long sum = repair ? truth : written;
            long right = sum + terms[k];
            written = slips?.Write(right) ?? right;
            truth += terms[k];
            text.Append(CultureInfo.InvariantCulture, $"{k}:{sum}+{terms[k]}={written}\n");
        }
        return text.Append(CultureInfo.InvariantCulture, $"{ArithmeticText.AnswerMark}{(repair ? truth : written)}").ToString();
    }
}
