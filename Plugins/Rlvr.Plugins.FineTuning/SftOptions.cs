// Options of "sft", bound from "Algorithms:Sft".
using System.ComponentModel.DataAnnotations;

namespace Rlvr.FineTuning;

/// <summary>Options of supervised fine-tuning on the task's worked solutions.</summary>
public sealed class SftOptions : FineTuningOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Algorithms:Sft";

    [Range(1, 4096)] public int ProblemsPerStep { get; set; } = 32;    // batch size: fresh problems (prompt + clean solution) per step
}
