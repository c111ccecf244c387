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
