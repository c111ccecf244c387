using System.ComponentModel.DataAnnotations;

namespace Company.RlvrPlugin;

/// <summary>The reward's options, bound from its section (Rewards:Starter); a study names only what it changes.</summary>
public sealed class StarterOptions
{
    [Range(0.0, 1.0)] public double AnswerWeight { get; set; } = 0.5;   // the answer's share of the reward; the steps get the rest
}
