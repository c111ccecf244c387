// The knobs every GPT of this plugin shares, whatever its depth: width, heads, context, positions, MLP and dropout.
// Defaults are a small nanoGPT (karpathy/nanoGPT config/train_shakespeare_char.py, scaled down for 2 CPU cores).
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.Transformer;

public abstract class GptOptions
{
    [Range(8, 8192)] public int Width { get; set; } = 128;                   // n_embd = d_model; Width / Heads is the head size hs
    [Range(1, 128)] public int Heads { get; set; } = 4;                      // n_head: attention heads per block
    [Range(2, 8192)] public int ContextLength { get; set; } = 96;            // block_size: prompt + completion, in tokens
    [Range(0.0, 0.9)] public double Dropout { get; set; } = 0.0;             // p on embeddings, attention weights and residuals; 0 for RL
    [AllowedValues("learned", "rope")] public string Positions { get; set; } = "learned";   // learned wpe (GPT-2) or rotary (RoFormer, arXiv:2104.09864)
    [Range(1, 16)] public int MlpRatio { get; set; } = 4;                    // MLP hidden width = MlpRatio · Width (4 in GPT-2)
}
