// A fresh model's initial weights: N(0, 0.02) as GPT-2 and Llama, the residual projections (o_proj, down_proj) scaled
// by 1/√(2L), biases zero, all drawn on the CPU from one seeded generator in construction order, so that the same
// seed gives the same parameters on every device and the global generator is neither reseeded nor advanced.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama;

internal sealed class Initializer(Generator generator, int layers)
{
    private const double Std = 0.02;

    public Parameter Normal(long rows, long columns, double std = Std) =>
        new(empty(rows, columns).normal_(0, std, generator));   // Tensor.normal_ honours the generator; TorchSharp 0.107.0's nn.init.normal_ does not

    public Linear Linear(long inputs, long outputs, bool bias = false, bool residual = false) =>
        nn.Linear(Normal(outputs, inputs, residual ? Std / Math.Sqrt(2 * layers) : Std), bias ? new Parameter(zeros(outputs)) : null);
}
