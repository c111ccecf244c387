// Options of the report of a study with several bases, bound from "DoseResponse".
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Reporting;

/// <summary>On which held-out problems, and with which notion of correct, the dose-response report measures each arm's gain.</summary>
public sealed class DoseResponseOptions
{
    public const string Section = "DoseResponse";

    /// <summary>The value of <see cref="Correct"/> that counts a sample only when its answer is right and every written step verifies.</summary>
    public const string StepVerified = "step-verified";

    [Range(0, 100)] public int MinDifficulty { get; set; }                   // the band of held-out problems measured; 0: the easiest evaluated
    [Range(0, 100)] public int MaxDifficulty { get; set; }                   // 0: the hardest evaluated
    [AllowedValues(StepVerified, "answer")] public string Correct { get; set; } = StepVerified;
    public string? Reference { get; set; }                                   // the base every other base is compared with; null: the first

    /// <summary>Whether a held-out problem of <paramref name="difficulty"/> is in the band.</summary>
    public bool Contains(int difficulty) =>
        (MinDifficulty == 0 || difficulty >= MinDifficulty) && (MaxDifficulty == 0 || difficulty <= MaxDifficulty);

    /// <summary>The band in words: "difficulties 5-6", "every difficulty".</summary>
    public string Band => (MinDifficulty, MaxDifficulty) switch
    {
        (0, 0) => "every difficulty",
        (0, int max) => $"difficulties up to {max}",
        (int min, 0) => $"difficulties from {min}",
        (int min, int max) when min == max => $"difficulty {min}",
        (int min, int max) => $"difficulties {min}-{max}",
    };
}
