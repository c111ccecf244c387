// The optimiser knobs that "sft" and "rejection-sampling" share; each algorithm binds them from its own section.
// AdamW as Optimization.AdamW sets it up (decay on weight matrices only), the schedule as LearningRateSchedule.
using System.ComponentModel.DataAnnotations;

namespace Rlvr.FineTuning;

/// <summary>Optimiser and schedule options shared by the supervised fine-tuning algorithms.</summary>
public abstract class FineTuningOptions
{
    [Range(1e-8, 1.0)] public double LearningRate { get; set; } = 1e-4;                          // peak lr; a pretrained policy wants less than pretraining's
    [Range(0, 1_000_000)] public int WarmupSteps { get; set; } = 10;                             // linear warm-up W: lr·(s+1)/W
    [Range(0.0, 1.0)] public double MinLearningRateRatio { get; set; } = 1.0;                    // cosine floor / peak; 1 = constant after warm-up
    [Range(0.0, 1.0)] public double WeightDecay { get; set; } = 0.0;                             // AdamW decoupled decay (Loshchilov & Hutter, arXiv:1711.05101)
    [Range(0.0, 1.0, MaximumIsExclusive = true)] public double Beta1 { get; set; } = 0.9;       // Adam β1
    [Range(0.0, 1.0, MaximumIsExclusive = true)] public double Beta2 { get; set; } = 0.99;      // Adam β2; 0.99 suits small batches (nanoGPT)
    [Range(0.0, 1e6)] public double GradClip { get; set; } = 1.0;                                // max global L2 norm of the gradient; 0 = off
}
