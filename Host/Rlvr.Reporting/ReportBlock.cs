// The content of a report as a list of blocks, so one pass over the data feeds both writers (Markdown and HTML).
// Text may hold `code` spans; the writers keep or convert them.
namespace Rlvr.Reporting;

/// <summary>One block of a report.</summary>
public abstract record ReportBlock
{
    public sealed record Heading(int Level, string Text) : ReportBlock;

    public sealed record Paragraph(string Text) : ReportBlock;

    public sealed record BulletList(IReadOnlyList<string> Items) : ReportBlock;

    public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;

    /// <summary>A plot: written as <see cref="FileName"/> under the report folder and embedded in the HTML.</summary>
    public sealed record Figure(string FileName, string Caption, byte[] Png) : ReportBlock;

    /// <summary>Preformatted text, such as a configuration file.</summary>
    public sealed record Code(string Text, string Language = "") : ReportBlock;
}
