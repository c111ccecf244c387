// Writes report blocks as one self-contained HTML page: styles inline, every figure a base64 data URI, so the file
// can be mailed or archived alone. Level-2 headings get anchors and a table of contents. Figures flow side by side
// where they fit, each caption as wide as its plot.
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Rlvr.Reporting;

/// <summary>Renders a report as a single HTML file.</summary>
public static partial class HtmlWriter
{
    private const string Style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
        h1 { border-bottom: 2px solid #444; padding-bottom: .2em; }
        h2 { border-bottom: 1px solid #bbb; margin-top: 2em; }
        table { border-collapse: collapse; margin: .8em 0; font-size: .9em; }
        .scroll { overflow-x: auto; }
        th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; white-space: nowrap; }
        th { background: #f0f0f0; }
        tr:nth-child(even) td { background: #fafafa; }
        code, pre { font-family: "DejaVu Sans Mono", monospace; background: #f4f4f4; }
        code { padding: 0 .2em; white-space: pre-wrap; }
        pre { padding: .8em; overflow-x: auto; font-size: .85em; border: 1px solid #ddd; }
        figure { margin: 1em 1em 1em 0; display: inline-table; vertical-align: top; }
        figure img { max-width: 100%; border: 1px solid #eee; }
        figcaption { display: table-caption; caption-side: bottom; font-size: .9em; color: #555; }
        nav ul { columns: 2; }
        """;

    public static string Write(string title, IReadOnlyList<ReportBlock> blocks)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .AppendLine($"<title>{WebUtility.HtmlEncode(title)}</title>").AppendLine($"<style>{Style}</style></head><body>");
        var sections = blocks.OfType<ReportBlock.Heading>().Where(h => h.Level == 2).ToList();
        bool contentsWritten = false;
        foreach (var block in blocks)
        {
            if (!contentsWritten && block is ReportBlock.Heading { Level: 2 })
            {
                html.AppendLine("<nav><strong>Contents</strong><ul>");
                foreach (var h in sections) html.AppendLine($"<li><a href=\"#{Anchor(h.Text)}\">{Inline(h.Text)}</a></li>");
                html.AppendLine("</ul></nav>");
                contentsWritten = true;
            }
            html.AppendLine(block switch
            {
                ReportBlock.Heading h => $"<h{h.Level} id=\"{Anchor(h.Text)}\">{Inline(h.Text)}</h{h.Level}>",
                ReportBlock.Paragraph p => $"<p>{Inline(p.Text)}</p>",
                ReportBlock.BulletList l => "<ul>" + string.Concat(l.Items.Select(i => $"<li>{Inline(i)}</li>")) + "</ul>",
                ReportBlock.Table t => Table(t),
                ReportBlock.Figure f => $"<figure><img src=\"data:image/png;base64,{Convert.ToBase64String(f.Png)}\" alt=\"{WebUtility.HtmlEncode(f.Caption)}\">" +
                                        $"<figcaption>{Inline(f.Caption)}</figcaption></figure>",
                ReportBlock.Code c => $"<pre>{WebUtility.HtmlEncode(c.Text.TrimEnd())}</pre>",
                _ => "",
            });
        }
        return html.AppendLine("</body></html>").ToString();
    }

    private static string Table(ReportBlock.Table t) =>
        "<div class=\"scroll\"><table><thead><tr>" + string.Concat(t.Header.Select(h => $"<th>{Inline(h)}</th>")) + "</tr></thead><tbody>" +
        string.Concat(t.Rows.Select(r => "<tr>" + string.Concat(r.Select(c => $"<td>{Inline(c)}</td>")) + "</tr>")) + "</tbody></table></div>";

    // Escapes text, then turns `code` spans into <code> and **bold** into <strong>.
    private static string Inline(string text) =>
        Bold().Replace(CodeSpan().Replace(WebUtility.HtmlEncode(text), m => $"<code>{m.Groups[1].Value}</code>"), m => $"<strong>{m.Groups[1].Value}</strong>");

    private static string Anchor(string text) => NotAnchor().Replace(text.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex("`([^`]*)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotAnchor();
}
