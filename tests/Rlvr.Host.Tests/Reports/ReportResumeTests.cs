using System.Text;
using System.Text.RegularExpressions;
using Rlvr.Host.Evaluation;
using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

/// <summary>The report stage stopped by a kill at any point: written again, it is the report an uninterrupted run writes.</summary>
public sealed class ReportResumeTests
{
    private static FakeStudy Study()
    {
        var random = new Random(7);
        ProblemResult[] Counted(int n) => [.. Enumerable.Range(0, 12).Select(i => Counts($"p{i:D2}", n, random.Next(n + 1), difficulty: 2 + i % 3))];
        return new FakeStudy()
            .Run("base", 1, Evaluated(Counted(16))).Run("base", 2, Evaluated(Counted(16)))
            .Run("rl", 1, Evaluated(Counted(16)), metrics: [FakeStudy.Train(1, 0.2, 0.5), FakeStudy.Train(2, 0.4, 0.4)])
            .Run("rl", 2, Evaluated(Counted(16)), metrics: [FakeStudy.Train(1, 0.3, 0.5), FakeStudy.Train(2, 0.5, 0.4)]);
    }

    // Every file the report stage writes, by its path relative to the study folder, with its bytes (the time it was written left out).
    private static SortedDictionary<string, byte[]> Written(string studyFolder)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        // The report says when it was written, to the minute; the two writes may fall in different minutes.
        foreach (string name in new[] { StudyReport.MarkdownFile, StudyReport.HtmlFile })
            files[name] = Encoding.UTF8.GetBytes(Regex.Replace(File.ReadAllText(Path.Combine(studyFolder, name)), @"Written \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "Written <time> UTC"));
        foreach (string png in Directory.GetFiles(Path.Combine(studyFolder, StudyReport.FigureFolder), "*.png"))
            files[Path.GetRelativePath(studyFolder, png)] = File.ReadAllBytes(png);
        return files;
    }

    [Fact]
    public void AReportKilledMidWriteIsWrittenAgainByteForByteAsAnUninterruptedOne()
    {
        using var whole = Study();
        StudyReport.Write(StudyLoader.Load(whole.Folder), SupportLikelihood.NotAvailable("no model in this test"));
        var expected = Written(whole.Folder);

        // What a kill leaves: some figures written, one cut short, a temporary file of the markdown half-written, no HTML.
        using var killed = Study();
        StudyReport.Write(StudyLoader.Load(killed.Folder), SupportLikelihood.NotAvailable("no model in this test"));
        string figures = Path.Combine(killed.Folder, StudyReport.FigureFolder);
        string cut = Directory.GetFiles(figures, "*.png").Order(StringComparer.Ordinal).First();
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..100]);
        File.Delete(Path.Combine(killed.Folder, StudyReport.HtmlFile));
        File.WriteAllText(Path.Combine(killed.Folder, $"{StudyReport.MarkdownFile}.{Guid.NewGuid():N}.tmp"), "# Study rep");

        StudyReport.Write(StudyLoader.Load(killed.Folder), SupportLikelihood.NotAvailable("no model in this test"));

        var resumed = Written(killed.Folder);
        Assert.Equal(expected.Keys, resumed.Keys);
        foreach (var (name, bytes) in expected)
            Assert.True(bytes.AsSpan().SequenceEqual(resumed[name]), $"{name} differs from the uninterrupted report's");
    }
}
