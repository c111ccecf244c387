// Writes report blocks as GitHub-flavoured Markdown; figures link to their PNG files beside report.md.
using System.Text;

namespace Rlvr.Reporting;

/// <summary>Renders a report as Markdown.</summary>
public static class MarkdownWriter
{
    /// <param name="figureFolder">The folder of the PNG files, relative to the Markdown file.</param>
    public static string Write(IEnumerable<ReportBlock> blocks, string figureFolder)
    {
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ReportBlock.Heading h: text.Append('#', h.Level).Append(' ').AppendLine(h.Text); break;
                case ReportBlock.Paragraph p: text.AppendLine(p.Text); break;
                case ReportBlock.BulletList l: foreach (string item in l.Items) text.Append("- ").AppendLine(item); break;
                case ReportBlock.Table t:
                    text.AppendLine(Row(t.Header)).AppendLine(Row(t.Header.Select(_ => "---")));
                    foreach (var row in t.Rows) text.AppendLine(Row(row));
                    break;
                case ReportBlock.Figure f: text.AppendLine($"![{f.Caption}]({figureFolder}/{f.FileName})").AppendLine().AppendLine($"*{f.Caption}*"); break;
                case ReportBlock.Code c: text.AppendLine($"```{c.Language}").AppendLine(c.Text.TrimEnd()).AppendLine("```"); break;
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    // A cell cannot hold a pipe or a line break.
    private static string Row(IEnumerable<string> cells) =>
        "| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|").Replace("\n", " ⏎ "))) + " |";
}
