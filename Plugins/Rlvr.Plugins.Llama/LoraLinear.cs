// LoRA (Hu et al. 2021, arXiv:2106.09685): a frozen projection W plus a trainable low-rank update,
//   y = x·Wᵀ + b + (α/r)·(x·Aᵀ)·Bᵀ,   A (r, in), B (out, r),
// with B = 0 at the start, so the adapted model begins as the frozen one. W and b keep the projection's own names
// (q_proj.weight), so a checkpoint loads into them unchanged; the adapters are q_proj.lora_A.weight and
// q_proj.lora_B.weight. Merging writes W + (α/r)·B·A, the weight a model without adapters computes the same with.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Llama;

internal sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    /// <summary>Marks an adapter's parameters in a state dictionary: the names with this part are not the checkpoint's.</summary>
    public const string Marker = ".lora_";

    private readonly Parameter weight;      // (out, in), frozen
    private readonly Parameter? bias;       // (out), frozen
    private readonly Linear lora_A;         // (r, in)
    private readonly Linear lora_B;         // (out, r), zeros at the start
    private readonly double _scale;         // α / r

    public LoraLinear(Parameter weight, Parameter? bias, int rank, double alpha, Generator generator) : base("lora_linear")
    {
        (this.weight, this.bias) = (weight, bias);
        long inputs = weight.shape[1], outputs = weight.shape[0];
        lora_A = nn.Linear(new Parameter(empty(rank, inputs).normal_(0, 1 / Math.Sqrt(inputs), generator)), null);
        lora_B = nn.Linear(new Parameter(zeros(outputs, rank)), null);
        _scale = alpha / rank;
        RegisterComponents();
    }

    /// <summary>False while the frozen model is computed (the reference policy): the adapters add nothing.</summary>
    public bool Enabled { get; set; } = true;

    public override Tensor forward(Tensor x)
    {
        var y = F.linear(x, weight, bias);
        return Enabled ? y + lora_B.forward(lora_A.forward(x)) * _scale : y;
    }

    /// <summary>W + (α/r)·B·A: the projection's weight with the adapters merged in.</summary>
    public Tensor Merged() => weight + lora_B.weight!.matmul(lora_A.weight!) * _scale;

    public static bool IsAdapter(string parameterName) => parameterName.Contains(Marker, StringComparison.Ordinal);
}

/// <summary>Which projections get adapters, of what rank r and scale α / r.</summary>
internal sealed record LoraSpec(int Rank, double Alpha, IReadOnlySet<string> Targets)
{
    /// <summary>The adapters <paramref name="o"/> asks for; null when LoraRank is 0.</summary>
    public static LoraSpec? From(LlamaOptions o) =>
        o.LoraRank > 0 ? new(o.LoraRank, o.LoraAlpha, (o.LoraTargets.Length > 0 ? o.LoraTargets : LlamaOptions.AllLoraTargets).ToHashSet(StringComparer.Ordinal)) : null;
}
