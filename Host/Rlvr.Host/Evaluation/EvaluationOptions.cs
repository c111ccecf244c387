using System.ComponentModel.DataAnnotations;

namespace Rlvr.Host.Evaluation;

/// <summary>How a model is evaluated: the <c>Evaluation</c> section.</summary>
public sealed class EvaluationOptions
{
    public const string Section = "Evaluation";

    [Range(1, 100_000)] public int Problems { get; set; } = 200;                 // held-out problems, difficulties in equal shares
    [Range(1, 100_000)] public int Samples { get; set; } = 256;                  // n completions per problem; pass@k for k = 1, 2, 4, ..., n
    [Range(0.0, 100.0)] public double Temperature { get; set; } = 1.0;           // τ; pass@k at large k needs τ near 1
    [Range(0.0, 1.0, MinimumIsExclusive = true)] public double TopP { get; set; } = 1.0;   // nucleus mass
    [Range(0, 8192)] public int MaxNewTokens { get; set; }                       // 0: as many as the context leaves after the longest prompt
    [Range(1, 1_000_000)] public int RowsPerBatch { get; set; } = 2048;          // sampler rows at once: prompts per batch = RowsPerBatch / Samples
    [Range(100, 100_000)] public int BootstrapResamples { get; set; } = 1000;    // resamples of problems for the confidence interval
    [Range(0.5, 0.999)] public double Confidence { get; set; } = 0.95;           // two-sided interval level
    public bool NoiseFloor { get; set; } = true;                                 // the base evaluated a second time with another sampling seed (evaluation.replicate.json)
    [AllowedValues(ModelPrecision, BFloat16Precision)] public string Precision { get; set; } = ModelPrecision;   // sampling's type: the model's own, or bfloat16 (docs/benchmarks.md)

    /// <summary>The <see cref="Precision"/> that samples in the model's own type.</summary>
    public const string ModelPrecision = "model";

    /// <summary>The <see cref="Precision"/> that samples in bfloat16, for a model that is <c>IDecodingPrecision</c>.</summary>
    public const string BFloat16Precision = "bfloat16";
}
