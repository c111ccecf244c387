// A fresh model's initial weights: N(0, 0.02) as GPT-2 and Llama, the residual projections (o_proj, down_proj) scaled
// by 1/√(2L), biases zero, all drawn on the CPU from one seeded generator in construction order, so that the same
// seed gives the same parameters on every device and the global generator is neither reseeded nor advanced.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama;

/// <param name="lora">Adapters on the projections it names; null: none.</param>
/// <param name="adapters">Draws the adapters' A matrices, apart from <paramref name="generator"/>, so that the frozen
/// weights are the same with adapters or without.</param>
internal sealed class Initializer(Generator generator, int layers, LoraSpec? lora, Generator adapters)
{
    private const double Std = 0.02;

    public Parameter Normal(long rows, long columns, double std = Std) =>
        new(empty(rows, columns).normal_(0, std, generator));   // Tensor.normal_ honours the generator; TorchSharp 0.107.0's nn.init.normal_ does not

    public Linear Linear(long inputs, long outputs, bool bias = false, bool residual = false) => nn.Linear(Weight(inputs, outputs, residual), Bias(outputs, bias));

    /// <summary>A layer's projection, named as Hugging Face names it: a Linear, or a LoRA-adapted one where <c>lora</c> targets it.</summary>
    public nn.Module<Tensor, Tensor> Projection(string name, long inputs, long outputs, bool bias = false, bool residual = false) =>
        lora is not null && lora.Targets.Contains(name)
            ? new LoraLinear(Weight(inputs, outputs, residual), Bias(outputs, bias), lora.Rank, lora.Alpha, adapters)
            : Linear(inputs, outputs, bias, residual);

    private Parameter Weight(long inputs, long outputs, bool residual) => Normal(outputs, inputs, residual ? Std / Math.Sqrt(2 * layers) : Std);

    private static Parameter? Bias(long outputs, bool bias) => bias ? new Parameter(zeros(outputs)) : null;
}
