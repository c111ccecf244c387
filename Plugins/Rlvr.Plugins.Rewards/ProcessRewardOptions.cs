// Options of the "process" reward, bound from "Rewards:Process". The cross-field rule lives in AddRlvrRewards.
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Rewards.Functions;

/// <summary>The values the step-level process reward gives right and wrong steps.</summary>
public sealed class ProcessRewardOptions
{
    [Range(-1000.0, 1000.0)] public double CorrectStep { get; set; } = 1.0;   // r_{i,j} of a step that verifies
    [Range(-1000.0, 1000.0)] public double WrongStep { get; set; } = 0.0;     // r_{i,j} of a wrong or unreadable step
    public bool IncludeAnswer { get; set; } = true;                           // the answer is the last step, at the completion's end
}
