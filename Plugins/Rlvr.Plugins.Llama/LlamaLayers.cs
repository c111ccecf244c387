// The parts of a Llama decoder layer, named as Hugging Face names them so that the state dictionary's keys are the
// checkpoint's: RMSNorm, grouped-query attention with rotary positions, the SwiGLU MLP, and the pre-norm block.
using Rlvr.Plugins.Transformer;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Llama;

/// <summary>
/// What every layer of one forward pass shares: the cache (null: plain causal attention) and where the new positions
/// start in it, and the rotary tables of the new positions.
/// </summary>
internal sealed record LlamaPass(KeyValueCache? Cache, long Start, Tensor Cos, Tensor Sin);

/// RMSNorm (Zhang and Sennrich 2019, arXiv:1910.07467): x / √(mean(x²) + ε) · weight, computed in float32.
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;   // (C), ones at initialisation
    private readonly double _eps;

    public RmsNorm(long width, double eps) : base("rms_norm")
    {
        weight = new Parameter(ones(width));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = x.to(float32);
        h = h * (h.pow(2).mean([-1], keepdim: true) + _eps).rsqrt();
        return weight * h.to(x.dtype);
    }
}

/// Causal self-attention with nkv ≤ nh key/value heads (grouped-query attention, arXiv:2305.13245): query head j
/// reads key/value head j / (nh / nkv). Only the nkv heads are cached.
internal sealed class LlamaAttention : nn.Module<Tensor, LlamaPass, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> q_proj, k_proj, v_proj, o_proj;
    private readonly int _layer;
    private readonly long _nh, _nkv, _hs;

    public LlamaAttention(LlamaConfig c, int layer, Initializer init) : base("self_attn")
    {
        (_layer, _nh, _nkv, _hs) = (layer, c.Heads, c.KeyValueHeads, c.HeadSize);
        q_proj = init.Projection("q_proj", c.HiddenSize, _nh * _hs, bias: c.AttentionBias);
        k_proj = init.Projection("k_proj", c.HiddenSize, _nkv * _hs, bias: c.AttentionBias);
        v_proj = init.Projection("v_proj", c.HiddenSize, _nkv * _hs, bias: c.AttentionBias);
        o_proj = init.Projection("o_proj", _nh * _hs, c.HiddenSize, residual: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, LlamaPass pass)   // x (B, T, C)
    {
        var (B, T) = (x.shape[0], x.shape[1]);
        var q = q_proj.forward(x).view(B, T, _nh, _hs).transpose(1, 2);                          // (B, nh, T, hs)
        var k = k_proj.forward(x).view(B, T, _nkv, _hs).transpose(1, 2);                         // (B, nkv, T, hs)
        var v = v_proj.forward(x).view(B, T, _nkv, _hs).transpose(1, 2);
        (q, k) = (Rotary.Rotate(q, pass.Cos, pass.Sin), Rotary.Rotate(k, pass.Cos, pass.Sin));
        if (pass.Cache is not null) return o_proj.forward(pass.Cache.Attend(_layer, q, k, v, pass.Start));   // (B, T, nh · hs)
        if (_nkv != _nh) (k, v) = (k.repeat_interleave(_nh / _nkv, 1), v.repeat_interleave(_nh / _nkv, 1));   // (B, nh, T, hs)
        var y = F.scaled_dot_product_attention(q, k, v, is_casual: true);
        return o_proj.forward(y.transpose(1, 2).reshape(B, T, _nh * _hs));                       // heads side by side again
    }
}

/// SwiGLU (Shazeer 2020, arXiv:2002.05202): down(silu(gate(x)) ⊙ up(x)).
internal sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> gate_proj, up_proj, down_proj;

    public LlamaMlp(LlamaConfig c, Initializer init) : base("mlp")
    {
        gate_proj = init.Projection("gate_proj", c.HiddenSize, c.IntermediateSize);
        up_proj = init.Projection("up_proj", c.HiddenSize, c.IntermediateSize);
        down_proj = init.Projection("down_proj", c.IntermediateSize, c.HiddenSize, residual: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => down_proj.forward(F.silu(gate_proj.forward(x)) * up_proj.forward(x));
}

/// A pre-norm decoder layer: x + attn(norm(x)), then + mlp(norm(·)).
internal sealed class LlamaBlock : nn.Module<Tensor, LlamaPass, Tensor>
{
    private readonly RmsNorm input_layernorm, post_attention_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;

    public LlamaBlock(LlamaConfig c, int layer, Initializer init) : base("layer")
    {
        input_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        self_attn = new LlamaAttention(c, layer, init);
        post_attention_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        mlp = new LlamaMlp(c, init);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, LlamaPass pass)
    {
        x = x + self_attn.forward(input_layernorm.forward(x), pass);
        return x + mlp.forward(post_attention_layernorm.forward(x));
    }
}
