// Reads the numbers back out of a report's Markdown tables.
using System.Globalization;

namespace Rlvr.Host.Tests.Reports;

internal static class MarkdownTables
{
    public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);

    /// <summary>The first table after the first line that starts with <paramref name="heading"/>.</summary>
    public static Table After(string markdown, string heading)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int start = lines.FindIndex(l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no heading '{heading}'");
        var table = lines.Skip(start).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Select(Cells).ToList();
        return new Table(table[0], table.Skip(2).ToList());
    }

    /// <summary>The mean of a cell written as "mean [lower, upper]".</summary>
    public static double Mean(string cell) => double.Parse(cell.Split(' ')[0], CultureInfo.InvariantCulture);

    private static IReadOnlyList<string> Cells(string line) => [.. line.Trim('|').Split(" | ").Select(c => c.Trim())];
}
