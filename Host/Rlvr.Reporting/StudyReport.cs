// A study's report: every section built from the run folders, then written as runs/<study>/report.md (figures
// linked from runs/<study>/report/) and runs/<study>/report.html (figures embedded), each file atomically.
using Rlvr.Host.Runs;

namespace Rlvr.Reporting;

/// <summary>Builds and writes a study's report.</summary>
public static class StudyReport
{
    public const string MarkdownFile = RunPaths.ReportMarkdownFile, HtmlFile = RunPaths.ReportHtmlFile, FigureFolder = RunPaths.ReportFigureFolder;

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
    public static (string Markdown, string Html) Write(StudyData study, SupportLikelihood likelihood) =>
        Write(study.Folder, $"Study report: {study.Name}", Build(study, likelihood));

    /// <summary>
    /// Writes <paramref name="blocks"/> as <paramref name="folder"/>/report.md (figures in report/) and report.html
    /// (figures embedded), each atomically; figures of an earlier report that these blocks no longer draw are removed.
    /// </summary>
    public static (string Markdown, string Html) Write(string folder, string title, IReadOnlyList<ReportBlock> blocks)
    {
        var figures = blocks.OfType<ReportBlock.Figure>().ToList();
        string figureFolder = Path.Combine(folder, FigureFolder);
        Directory.CreateDirectory(figureFolder);
        foreach (string stale in Directory.GetFiles(figureFolder, "*.png").Where(f => figures.All(x => x.FileName != Path.GetFileName(f))))
            File.Delete(stale);
        foreach (var figure in figures)
            AtomicFile.Write(Path.Combine(figureFolder, figure.FileName), path => File.WriteAllBytes(path, figure.Png));
        string markdown = Path.Combine(folder, MarkdownFile), html = Path.Combine(folder, HtmlFile);
        AtomicFile.WriteAllText(markdown, MarkdownWriter.Write(blocks, FigureFolder));
        AtomicFile.WriteAllText(html, HtmlWriter.Write(title, blocks));
        return (markdown, html);
    }
}
