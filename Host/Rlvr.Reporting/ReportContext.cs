// What every section of a report reads: the study, the arms' colours, the base likelihood part, the bootstrap settings.
using Rlvr.Host.Evaluation;
using Rlvr.Host.Runs;

namespace Rlvr.Reporting;

/// <summary>The inputs shared by the report's sections.</summary>
/// <param name="Resamples">Bootstrap resamples, as the evaluation's default (Evaluation:BootstrapResamples).</param>
/// <param name="Confidence">Interval level, as the evaluation's default (Evaluation:Confidence).</param>
internal sealed record ReportContext(StudyData Study, SupportLikelihood Likelihood, int Resamples = 1000, double Confidence = 0.95)
{
    public ArmPalette Palette { get; } = new(Study.Arms);

    /// <summary><see cref="Confidence"/> in per cent, as the tables' headers print it: 95.</summary>
    public int ConfidencePercent => (int)Math.Round(Confidence * 100);

    /// <summary>The arms, base first, that have at least one evaluated run.</summary>
    public IReadOnlyList<string> EvaluatedArms => [.. Study.Arms.Where(a => Study.Evaluated(a).Count > 0)];

    /// <summary>The trained arms that have at least one seed beside an evaluated base.</summary>
    public IReadOnlyList<string> ComparedArms => [.. Study.TrainedArms.Where(a => Study.Pairs(a).Count > 0)];

    /// <summary>This context on the study's step-verified view: a sample counts as correct only with every written step verified.</summary>
    public ReportContext StepsVerified() => this with { Study = StepVerifiedView.Of(Study) };

    /// <summary>The smallest n of an arm's evaluated runs.</summary>
    public int Samples(string arm) => Study.Evaluated(arm).Min(r => r.Evaluation!.Samples);

    /// <summary>The per-problem results of each evaluated seed of <paramref name="arm"/>.</summary>
    public IReadOnlyList<IReadOnlyList<ProblemResult>> PerSeed(string arm) => [.. Study.Evaluated(arm).Select(r => r.Evaluation!.PerProblem)];

    /// <summary>A mean over seeds, with the range across seeds when there are several; <paramref name="signed"/> for a difference.</summary>
    public static string MeanOverSeeds(IReadOnlyList<double> values, int decimals = 3, bool signed = false)
    {
        string mean = signed ? ReportFormat.Signed(values.Average(), decimals) : ReportFormat.Number(values.Average(), decimals);
        return values.Count == 1 ? mean : $"{mean} ({ReportFormat.Number(values.Min(), decimals)}–{ReportFormat.Number(values.Max(), decimals)})";
    }

    /// <summary>Whether any arm's n differs from the base's.</summary>
    public bool SamplesDiffer => EvaluatedArms.Select(Samples).Distinct().Count() > 1;

    /// <summary>A section that compares arms with the base: its heading, then <paramref name="body"/> for the compared arms, or a line saying there are none.</summary>
    public IEnumerable<ReportBlock> Comparison(string heading, Func<IReadOnlyList<string>, IEnumerable<ReportBlock>> body)
    {
        IEnumerable<ReportBlock> blocks = ComparedArms.Count == 0
            ? [new ReportBlock.Paragraph("No arm has a seed beside an evaluated base: nothing to compare.")]
            : body(ComparedArms);
        return blocks.Prepend(new ReportBlock.Heading(2, heading));
    }

    /// <summary>The base's name, for text.</summary>
    public static string Base => RunPaths.BaseArm;
}
