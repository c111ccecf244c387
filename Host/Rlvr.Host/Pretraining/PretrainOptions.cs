using System.ComponentModel.DataAnnotations;

namespace Rlvr.Host.Pretraining;

/// <summary>Next-token pretraining on generated worked solutions: the <c>Pretrain</c> section.</summary>
public sealed class PretrainOptions
{
    public const string Section = "Pretrain";

    /// <summary>The least budget that trains: a few steps at the default batch.</summary>
    public const long MinTokenBudget = 1_000;

    [Range(0, 100_000_000_000)] public long TokenBudget { get; set; } = 2_000_000;       // tokens of text to train on (padding excluded); 0: no pretraining, the base is the model as its architecture makes it (a loaded checkpoint) or as From gives it
    public string? From { get; set; }                                                    // another base of the study whose pretrained model of the same seed this base continues (mid-training); empty: from the architecture's initialisation
    [Range(1, 65_536)] public int BatchSize { get; set; } = 64;                          // rows per step (each ContextLength tokens when packed)
    [Range(1, 1_024)] public int MicroBatches { get; set; } = 1;                         // a step's documents sorted by length into this many padded parts (same gradient, less padding)
    public bool Packing { get; set; }                                                    // pack documents into full rows: no padding, but attention crosses documents
    [Range(1e-6, 1.0)] public double LearningRate { get; set; } = 2e-3;                  // peak lr after warm-up (nanoGPT char: 1e-3)
    [Range(0.0, 1.0)] public double MinLearningRateRatio { get; set; } = 0.1;            // cosine floor, as a share of the peak
    [Range(0, 1_000_000)] public int WarmupSteps { get; set; } = 50;                     // linear warm-up from 0
    [Range(0.0, 1.0)] public double WeightDecay { get; set; } = 0.1;                     // AdamW decoupled decay on matrices only
    [Range(0.0, 1.0)] public double Beta1 { get; set; } = 0.9;                           // AdamW β1
    [Range(0.0, 1.0)] public double Beta2 { get; set; } = 0.99;                          // AdamW β2 (0.99 for small batches, nanoGPT char)
    [Range(0.0, 1e6)] public double GradClip { get; set; } = 1.0;                        // max global grad norm; 0 = no clipping
    [Range(0.0, 1.0)] public double StepError { get; set; } = 0.2;                       // P(a written step is wrong): noisy traces
    [Range(0.0, 1.0)] public double RightAnswerAfterError { get; set; }                  // P(a trace with a wrong step still ends right)
    [Range(1, 1_000_000)] public int LogEvery { get; set; } = 25;                        // steps between metric records
    [Range(0, 1_000_000)] public int CheckpointEvery { get; set; } = 200;                // steps between checkpoints (a killed run resumes from the last); 0: none
}
