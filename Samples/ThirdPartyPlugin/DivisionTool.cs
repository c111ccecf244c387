// A tool for the base-conversion task: the model writes a division line up to its '=' ("45/2="), and the tool
// writes the quotient and the remainder ("22r1"), exactly as the task's worked solutions do. With it selected
// (Components:Tool = "division"), the arithmetic of every step is the tool's; what the model must still learn is the
// procedure: which number to divide next, when to stop, and how to read the answer off the remainders.
using System.Globalization;
using System.Text.RegularExpressions;
using Rlvr.Tools;

namespace Contoso.Rlvr.BaseConversion;

public sealed partial class DivisionTool : ITool
{
    public string CallEnd => "=";

    public ToolReply? Reply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('=')) return null;
        // The call is the text since the last line break, or since the prompt's '?' when a written trace holds both.
        string call = text[(text.LastIndexOfAny(['\n', '?']) + 1)..];
        var match = Call().Match(call);
        if (!match.Success) return ToolReply.Malformed($"'{call}' is not a division 'number/base='");
        long dividend = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        int divisor = match.Groups[2].Value[0] - '0';
        if (divisor < 2) return ToolReply.Malformed($"'{call}' divides by {divisor}; a base is 2 to 9");
        return ToolReply.Of(FormattableString.Invariant($"{dividend / divisor}r{dividend % divisor}"));
    }

    [GeneratedRegex(@"^([0-9]{1,9})/([0-9])=$")]
    private static partial Regex Call();
}
