// Options of "rejection-sampling", bound from "Algorithms:RejectionSampling".
using System.ComponentModel.DataAnnotations;

namespace Rlvr.FineTuning;

/// <summary>Options of rejection-sampling fine-tuning (expert iteration) on the policy's own verified samples.</summary>
public sealed class RejectionSamplingOptions : FineTuningOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Algorithms:RejectionSampling";

    [Range(1, 4096)] public int PromptsPerStep { get; set; } = 16;       // problems sampled per step
    [Range(1, 1024)] public int GroupSize { get; set; } = 8;             // G: completions sampled per problem
    [Range(-1e6, 1e6)] public double Threshold { get; set; } = 1.0;      // keep a sample when its reward >= this (1 = terminal reward's "right")
    public bool DistinctOnly { get; set; } = true;                       // keep each problem's identical completions once (RFT, arXiv:2308.01825)
}
