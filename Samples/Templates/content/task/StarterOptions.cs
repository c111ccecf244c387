using System.ComponentModel.DataAnnotations;

namespace Company.RlvrPlugin;

/// <summary>The task's options, bound from its section (Tasks:Starter); a study names only what it changes.</summary>
public sealed class StarterOptions
{
    [Range(1, 9)] public int MinDifficulty { get; set; } = 2;   // the fewest additions a problem takes
    [Range(1, 9)] public int MaxDifficulty { get; set; } = 5;   // the most
    [Range(2, 999)] public int MaxAddend { get; set; } = 99;    // the number added is drawn from 1..MaxAddend
}
