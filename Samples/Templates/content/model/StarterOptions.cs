using System.ComponentModel.DataAnnotations;

namespace Company.RlvrPlugin;

/// <summary>The model's options, bound from its section (Models:Starter); a study names only what it changes.</summary>
public sealed class StarterOptions
{
    [Range(1, 1_000_000)] public int ContextLength { get; set; } = 96;   // the longest sequence accepted, in tokens
    [Range(1, 4096)] public int Width { get; set; } = 64;                // the width of the hidden state
    [Range(1e-6, 10.0)] public double InitStd { get; set; } = 0.02;      // σ of the normal initialisation of the weights
}
