// How completions are sampled. The defaults sample the model's own distribution (τ = 1, p = 1), as GRPO rollouts do.
using System.ComponentModel.DataAnnotations;
using static TorchSharp.torch;

namespace Rlvr.Sampling;

public sealed class SamplingOptions
{
    [Range(0.0, 100.0)] public double Temperature { get; set; } = 1.0;                           // τ: sample softmax(logits / τ); 0 is greedy
    [Range(0.0, 1.0, MinimumIsExclusive = true)] public double TopP { get; set; } = 1.0;         // nucleus mass p (arXiv:1904.09751); 1 keeps every token
    [Range(1, 8192)] public int MaxNewTokens { get; set; } = 32;                                 // completion tokens at most, EOS included
    public long Seed { get; set; }                                                               // the k-th call draws from a generator seeded by (Seed, k)
    public bool Recompute { get; set; }                                                          // reference mode: no cache, a full forward over every sequence per token
    public ScalarType? Precision { get; set; }                                                   // decode in this type (a model that is IDecodingPrecision); null: the model's own
}
