// Options of the "llama" architecture, bound from Models:Llama. With Path the shape comes from the folder's config.json
// and the weights from its safetensors; without it the shape keys below build a freshly initialised model, its
// vocabulary the tokenizer's. Defaults are a small Llama for CPU studies.
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.Llama;

public sealed class LlamaOptions
{
    public const string Section = "Models:Llama";

    public string? Path { get; set; }                                        // a Hugging Face model folder: config.json, model.safetensors or model.safetensors.index.json

    [AllowedValues("float32", "bfloat16", "float16")]
    public string DType { get; set; } = "float32";                           // parameters on CUDA; the CPU always computes in float32

    // The shape of a fresh model (ignored with Path), named after config.json's fields.
    [Range(8, 16384)] public int HiddenSize { get; set; } = 128;             // hidden_size
    [Range(1, 128)] public int Layers { get; set; } = 4;                     // num_hidden_layers
    [Range(1, 256)] public int Heads { get; set; } = 4;                      // num_attention_heads
    [Range(1, 256)] public int KeyValueHeads { get; set; } = 2;              // num_key_value_heads: grouped-query attention
    [Range(1, 65536)] public int IntermediateSize { get; set; } = 352;       // intermediate_size: SwiGLU width, about 8/3 · HiddenSize
    [Range(2, 131072)] public int ContextLength { get; set; } = 96;          // max_position_embeddings
    [Range(1.0, 1e9)] public double RopeTheta { get; set; } = 10000;         // rope_theta: rotary base
    [Range(1e-12, 1e-2)] public double RmsNormEps { get; set; } = 1e-5;      // rms_norm_eps
    public bool TieEmbeddings { get; set; } = true;                          // tie_word_embeddings: the output head is the embedding
    public bool AttentionBias { get; set; }                                  // attention_bias: q, k, v projections with biases (Qwen2)

    // LoRA adapters (arXiv:2106.09685): with LoraRank > 0 every other weight is frozen and only the adapters train.
    [Range(0, 4096)] public int LoraRank { get; set; }                       // r; 0: no adapters, every weight trains
    [Range(1e-6, 1e6)] public double LoraAlpha { get; set; } = 16;           // α: the update is scaled by α / r
    public string[] LoraTargets { get; set; } = [];                          // the projections that get adapters; empty: all of AllLoraTargets

    public bool ActivationCheckpointing { get; set; }                        // training keeps each layer's input only and recomputes the layer in the backward pass

    /// <summary>The projections an adapter can sit on, by their Hugging Face names.</summary>
    public static readonly string[] AllLoraTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];
}
