using System.ComponentModel.DataAnnotations;

namespace BigramPlugin;

public sealed class BigramOptions
{
    [Range(1, 1_000_000)] public int ContextLength { get; set; } = 96;   // the longest sequence accepted, in tokens
    [Range(1e-6, 10.0)] public double InitStd { get; set; } = 0.02;      // σ of the normal initialisation of the logits table
}
