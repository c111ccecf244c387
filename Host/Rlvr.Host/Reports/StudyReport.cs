// A study's report: every section built from the run folders, then written as runs/<study>/report.md (figures
// linked from runs/<study>/report/) and runs/<study>/report.html (figures embedded), each file atomically.
using Rlvr.Host.Runs;

namespace Rlvr.Host.Reports;

/// <summary>Builds and writes a study's report.</summary>
public static class StudyReport
{
    public const string MarkdownFile = "report.md", HtmlFile = "report.html", FigureFolder = "report";

    /// <summary>The report's blocks, section by section.</summary>
    public static IReadOnlyList<ReportBlock> Build(StudyData study, SupportLikelihood likelihood)
    {
        var context = new ReportContext(study, likelihood);
        return
        [
            .. OverviewSection.Build(context), .. PassAtKSection.Build(context), .. CrossoverSection.Build(context), .. CoverageSection.Build(context), .. TypologySection.Build(context), .. ControlsSection.Build(context),
            .. DifficultySection.Build(context), .. AccuracySection.Build(context), .. CompletionsSection.Build(context), .. SupportSection.Build(context), .. EntropySection.Build(context),
            .. TrainingSection.Build(context), .. ConfigSection.Build(context),
        ];
    }

    /// <summary>Writes the report into the study folder; figures of an earlier report that this one no longer draws are removed.</summary>
    /// <returns>The paths of report.md and report.html.</returns>
    public static (string Markdown, string Html) Write(StudyData study, SupportLikelihood likelihood)
    {
        var blocks = Build(study, likelihood);
        var figures = blocks.OfType<ReportBlock.Figure>().ToList();
        string folder = Path.Combine(study.Folder, FigureFolder);
        Directory.CreateDirectory(folder);
        foreach (string stale in Directory.GetFiles(folder, "*.png").Where(f => figures.All(x => x.FileName != Path.GetFileName(f))))
            File.Delete(stale);
        foreach (var figure in figures)
            AtomicFile.Write(Path.Combine(folder, figure.FileName), path => File.WriteAllBytes(path, figure.Png));
        string markdown = Path.Combine(study.Folder, MarkdownFile), html = Path.Combine(study.Folder, HtmlFile);
        AtomicFile.WriteAllText(markdown, MarkdownWriter.Write(blocks, FigureFolder));
        AtomicFile.WriteAllText(html, HtmlWriter.Write($"Study report: {study.Name}", blocks));
        return (markdown, html);
    }
}
