namespace Rlvr.Cli.Commands;

/// <summary>Prints rows under a header, each column as wide as its widest cell.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select((name, column) => rows.Select(row => row[column].Length).Append(name.Length).Max()).ToList();
        foreach (var row in rows.Prepend(header))
            output.WriteLine(("  " + string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column])))).TrimEnd());
    }
}
