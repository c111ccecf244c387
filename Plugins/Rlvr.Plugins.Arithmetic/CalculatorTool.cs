// The calculator the model may call in its text: it writes '<', an expression of whole numbers joined by '+', '-'
// and '*', and '='; the calculator writes the value and '>'. "1:<47+1=" gets "48>", so a step reads "1:<47+1=48>".
// '*' binds tighter than '+' and '-'; numbers have at most 9 digits. Anything else inside an open '<' is malformed.
using System.Globalization;
using Rlvr.Tools;

namespace Rlvr.Plugins.Arithmetic;

internal sealed class CalculatorTool : ITool
{
    public const char Open = '<', Close = '>';

    public string CallEnd => "=";

    /// <summary>
    /// A noise-free worked solution with every step done by the calculator: each step line's expression and value
    /// (after its label, "1:" or "x=") become a call and its output: "1:47+1=48" becomes "1:<47+1=48>".
    /// </summary>
    public static string WithCalls(string solution) =>
        string.Join('\n', solution.Split('\n').Select(line =>
        {
            int label = line.IndexOfAny([':', '=']);
            return line.StartsWith(ArithmeticText.AnswerMark) || label < 0 ? line : $"{line[..(label + 1)]}{Open}{line[(label + 1)..]}{Close}";
        }));

    /// <summary><paramref name="text"/> without the calculator's marks, as the step checks read it.</summary>
    public static ReadOnlySpan<char> WithoutMarks(ReadOnlySpan<char> text) =>
        text.IndexOfAny(Open, Close) < 0 ? text : string.Concat(text.ToString().Where(c => c is not (Open or Close)));

    public ToolReply? Reply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int open = text.LastIndexOf(Open);
        if (open < 0 || text.IndexOf(Close, open) >= 0 || !text.EndsWith('=')) return null;   // no open call: a plain '='
        var expression = text.AsSpan(open + 1, text.Length - open - 2);
        return TryEvaluate(expression, out long value)
            ? ToolReply.Of(value.ToString(CultureInfo.InvariantCulture) + Close)
            : ToolReply.Malformed($"'{expression}' is not whole numbers joined by +, - and *");
    }

    // sum := product (('+' | '-') product)*; product := number ('*' number)*. Overflow is malformed.
    private static bool TryEvaluate(ReadOnlySpan<char> expression, out long value)
    {
        value = 0;
        long sum = 0, product = 1;
        int pos = 0, sign = 1;
        try
        {
            while (true)
            {
                if (!ArithmeticText.TryReadNumber(expression, ref pos, allowSign: false, out long number)) return false;
                product = checked(product * number);
                if (pos == expression.Length) break;
                char op = expression[pos++];
                if (op == '*') continue;
                if (op is not ('+' or '-')) return false;
                sum = checked(sum + sign * product);
                (product, sign) = (1, op == '+' ? 1 : -1);
            }
            value = checked(sum + sign * product);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
