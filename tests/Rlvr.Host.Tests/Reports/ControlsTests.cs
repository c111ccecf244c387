using Rlvr.Host.Evaluation;
using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

/// <summary>The noise floor in the report: the base against its own second evaluation, beside every arm against the base.</summary>
public sealed class ControlsTests
{
    // n = 4, one path per solved problem.
    //   seed 1: base a 2, b 0, c 4; replicate a 1, b 1, c 4: b "gained", nothing lost, both base paths kept (1.0);
    //           pass@1 0.5 → 0.5 (0), pass@4 2/3 → 1 (+1/3).
    //   seed 2: base a 1, b 0, c 4; replicate a 0, b 0, c 4: a "lost", one of two base paths kept (0.5);
    //           pass@1 5/12 → 1/3 (−1/12), pass@4 2/3 → 1/3 (−1/3).
    private static readonly EvaluationResult s_base1 = Evaluated(Counts("a", 4, 2), Counts("b", 4, 0), Counts("c", 4, 4));
    private static readonly EvaluationResult s_base2 = Evaluated(Counts("a", 4, 1), Counts("b", 4, 0), Counts("c", 4, 4));

    private static MarkdownTables.Table Table(FakeStudy folder, out string markdown)
    {
        var (path, _) = StudyReport.Write(StudyLoader.Load(folder.Folder), SupportLikelihood.NotAvailable("no model in this test"));
        markdown = File.ReadAllText(path);
        return MarkdownTables.After(markdown, "## 3c. Controls");
    }

    [Fact]
    public void TheNoiseFloorRowIsTheBaseAgainstItsReplicateSeedBySeed()
    {
        using var folder = new FakeStudy().Run("base", 1, s_base1).Run("base", 2, s_base2).Run("rl", 1, s_base1).Run("rl", 2, s_base2)
            .Replicate(1, Evaluated(Counts("a", 4, 1), Counts("b", 4, 1), Counts("c", 4, 4)))
            .Replicate(2, Evaluated(Counts("a", 4, 0), Counts("b", 4, 0), Counts("c", 4, 4)));
        var table = Table(folder, out _);

        Assert.Equal([ControlsSection.NoiseFloorRow, "rl against base"], table.Rows.Select(r => r[0]));
        var floor = table.Rows[0];
        Assert.Equal(["2", "4"], floor.Skip(1).Take(2));
        Assert.Equal(-1.0 / 24, MarkdownTables.Mean(floor[3]), precision: 3);   // (0 − 1/12)/2
        Assert.Equal(0.0, MarkdownTables.Mean(floor[4]), precision: 3);         // (+1/3 − 1/3)/2
        Assert.Equal(["0.5 (0.0–1.0)", "0.5 (0.0–1.0)", "0.750 (0.500–1.000)"], floor.Skip(5));
        // The arm, identical to its base here, moved by nothing: less than the noise floor.
        Assert.Equal(["+0.000", "+0.000", "0.0 (0.0–0.0)", "0.0 (0.0–0.0)", "1.000 (1.000–1.000)"], table.Rows[1].Skip(3));
    }

    [Fact]
    public void AStudyWithoutTheReplicateSaysItIsMissing()
    {
        using var folder = new FakeStudy().Run("base", 1, s_base1).Run("base", 2, s_base2).Run("rl", 1, s_base1).Run("rl", 2, s_base2);
        var table = Table(folder, out string markdown);
        Assert.Equal(["rl against base"], table.Rows.Select(r => r[0]));
        Assert.Contains("**This study has no replicate evaluation of its base**", markdown);

        folder.Replicate(1, s_base1);
        Table(folder, out markdown);
        Assert.Contains("The replicate is missing for seed 2: the noise floor is over the other seeds.", markdown);
    }
}
