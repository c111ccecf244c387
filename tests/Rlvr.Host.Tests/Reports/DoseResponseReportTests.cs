using Rlvr.Host.Evaluation;
using Rlvr.Reporting;
using static Rlvr.Host.Tests.Reports.Problems;

namespace Rlvr.Host.Tests.Reports;

/// <summary>The report of a study with several bases: each arm's paired gain on the band, base by base.</summary>
public sealed class DoseResponseReportTests
{
    // Two held-out problems, n = 4: "e" of difficulty 5 (the band) and "r" of difficulty 3 (outside it, where the arm
    // gains everything, so that counting it would change every number below).
    //   base none: e answered 2/4 with no step verified; the arm answers 4/4, with 1 verified in odd seeds, 0 in even.
    //     step-verified pass@4: base 0, arm 1 or 0 -> d_s = 1, 0, 1, 0, 1 (d̄ 0.6); pass@1: d_s = 0.25 or 0 (d̄ 0.15)
    //     answer pass@4: 1 - 1 = 0; answer pass@1: (4 - 2) / 4 = 0.5 in every seed
    //   base some: e answered 4/4 with 2 verified; the arm verifies all 4.
    //     step-verified pass@4: 1 - 1 = 0 in every seed; pass@1: (4 - 2) / 4 = 0.5 in every seed
    private static StudyData Study(string name, Func<int, (int Correct, int Verified)> baseline, Func<int, (int Correct, int Verified)> arm) =>
        new(name, $"/runs/dose/{name}", [.. Enumerable.Range(1, 5).SelectMany(seed => new[]
        {
            Run("base", seed, baseline(seed), outside: 0),
            Run("edge", seed, arm(seed), outside: 4),
        })]);

    private static RunData Run(string arm, int seed, (int Correct, int Verified) band, int outside) =>
        new(arm, seed, $"/runs/dose/{arm}/seed-{seed}", Evaluated(
            new ProblemResult("e", 5, "e=", "7", 4, band.Correct, band.Verified, new Dictionary<string, int>()),
            new ProblemResult("r", 3, "r=", "7", 4, outside, outside, new Dictionary<string, int>())), [], null);

    private static readonly IReadOnlyList<BaseStudy> s_bases =
    [
        new("none", Study("none", _ => (2, 0), seed => (4, seed % 2))),
        new("some", Study("some", _ => (4, 2), _ => (4, 4))),
    ];

    private static string Markdown(DoseResponseOptions options) => MarkdownWriter.Write(DoseResponseReport.Build("dose", s_bases, options), StudyReport.FigureFolder);

    [Fact]
    public void TheGainIsPairedSeedBySeedOnTheBandsProblemsStepVerified()
    {
        var table = MarkdownTables.After(Markdown(new DoseResponseOptions { MinDifficulty = 5, MaxDifficulty = 6 }), "## Each arm's gain");

        var none = table.Rows.Single(r => r[0] == "none" && r[1] == "edge");
        Assert.Equal("4", none[2]);
        Assert.Equal(0.15, MarkdownTables.Mean(none[3]), precision: 3);
        // d̄ = 0.6, s_d = √(1.2 / 4) = 0.5477; d̄ ± t(0.975, 4) s_d / √5 = 0.6 ± 2.7764 × 0.2449 = [−0.080, +1.280].
        Assert.Equal("+0.600 [-0.080, +1.280]", none[4]);
        Assert.Equal("+1.000 +0.000 +1.000 +0.000 +1.000", none[5]);
        Assert.StartsWith("no difference", none[7]);

        var some = table.Rows.Single(r => r[0] == "some");
        Assert.Equal("+0.500", some[3]);                                    // every d_s equal: no interval
        Assert.Equal("+0.000", some[4]);
        Assert.StartsWith("no difference", some[7]);
    }

    [Fact]
    public void AnswerCorrectnessAndTheWholeEvaluationAreOptions()
    {
        var answer = MarkdownTables.After(Markdown(new DoseResponseOptions { MinDifficulty = 5, MaxDifficulty = 6, Correct = "answer" }), "## Each arm's gain");
        Assert.Equal("+0.500", answer.Rows.Single(r => r[0] == "none")[3]);
        Assert.Equal("+0.000", answer.Rows.Single(r => r[0] == "none")[4]);

        // With every difficulty, "r" counts too: the arm solves it 4/4 step-verified against the base's 0, so each
        // seed's step-verified pass@4 gain is the mean over both problems: (1 + 1) / 2 or (0 + 1) / 2.
        var all = MarkdownTables.After(Markdown(new DoseResponseOptions()), "## Each arm's gain");
        Assert.Equal("+1.000 +0.500 +1.000 +0.500 +1.000", all.Rows.Single(r => r[0] == "none")[5]);
    }

    [Fact]
    public void TheChangeOfTheGainFromOneBaseToTheNextIsPairedBySeed()
    {
        // Step-verified pass@4 gains: none 1, 0, 1, 0, 1; some 0 in every seed. e_s = some − none = −1, 0, −1, 0, −1:
        // ē = −0.6, s_e = 0.5477 as for the gains themselves, so the interval is [−1.280, +0.080].
        var table = MarkdownTables.After(Markdown(new DoseResponseOptions { MinDifficulty = 5, MaxDifficulty = 6 }), "## From one base to the next");
        var row = Assert.Single(table.Rows);
        Assert.Equal(["edge", "none", "some", "1, 2, 3, 4, 5"], row.Take(4));
        Assert.Equal("-0.600 [-1.280, +0.080]", row[4]);
        Assert.Equal("-1.000 +0.000 -1.000 +0.000 -1.000", row[5]);
        Assert.StartsWith("no difference", row[6]);
    }

    [Fact]
    public void EachBaseIsPairedBySeedWithTheReferenceBaseBeforeAnyArm()
    {
        // On "e", step-verified: none verifies 0 of 4, some 2 of 4. pass@1: 0 and 0.5; pass@4: 0 and 1 − C(2,4)/C(4,4) = 1.
        // So d_s = some − none = +0.5 at k = 1 and +1 at k = 4 in every seed; with "some" as the reference, the opposite.
        var options = new DoseResponseOptions { MinDifficulty = 5, MaxDifficulty = 6 };
        var markdown = Markdown(options);
        var row = Assert.Single(MarkdownTables.After(markdown, "## Each base against none").Rows);
        Assert.Equal(["some", "1, 2, 3, 4, 5", "+0.500", "+1.000", "+1.000 +1.000 +1.000 +1.000 +1.000"], row.Take(5));
        Assert.True(markdown.IndexOf("## Each base against none") < markdown.IndexOf("## Each arm's gain"));

        options.Reference = "some";
        var reversed = Assert.Single(MarkdownTables.After(Markdown(options), "## Each base against some").Rows);
        Assert.Equal(["none", "1, 2, 3, 4, 5", "-0.500", "-1.000"], reversed.Take(4));

        options.Reference = "other";
        var error = Assert.Throws<InvalidDataException>(() => Markdown(options));
        Assert.Contains("DoseResponse:Reference = 'other'", error.Message);
    }

    [Fact]
    public void TheBasesAreDescribedOnTheBandAndThePlotHasOneGroupPerBase()
    {
        var blocks = DoseResponseReport.Build("dose", s_bases, new DoseResponseOptions { MinDifficulty = 5 });
        var levels = MarkdownTables.After(MarkdownWriter.Write(blocks, StudyReport.FigureFolder), "## The bases on the band");
        Assert.Equal(["none", "some"], levels.Rows.Select(r => r[0]));
        Assert.Equal("1", levels.Rows[0][2]);                                // one problem of difficulty 5 or more
        Assert.Equal(0.0, MarkdownTables.Mean(levels.Rows[0][4]), precision: 3);   // none's base never verifies a step
        Assert.Equal(0.5, MarkdownTables.Mean(levels.Rows[1][4]), precision: 3);   // some's verifies 2 of 4
        Assert.Single(blocks.OfType<ReportBlock.Figure>(), f => f.FileName == DoseResponseReport.Figure && f.Png.Length > 1000);
        Assert.Equal("difficulties from 5", new DoseResponseOptions { MinDifficulty = 5 }.Band);
    }
}
