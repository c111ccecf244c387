// Activation checkpointing (Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost", arXiv:1604.06174):
// a segment of the network (a decoder layer) runs its forward without keeping its activations, only its input; the
// backward pass runs the segment again from that input, with gradients, and back-propagates through the recomputation.
// Memory for activations falls from every layer's to one layer's plus each layer's input, for one more forward pass.
//
// The recomputation's backward is a nested (re-entrant) backward that accumulates the segment's parameter gradients
// directly, as PyTorch's reentrant torch.utils.checkpoint does; so it serves loss.backward(), not autograd.grad.
// The segment must compute the same function twice: no dropout or other random draw inside it.
using static TorchSharp.torch;

namespace Rlvr.Training;

/// <summary>Runs a segment of a network without keeping its activations for the backward pass.</summary>
public static class ActivationCheckpoint
{
    /// <summary>
    /// y = <paramref name="segment"/>(<paramref name="x"/>). Under gradient mode only x is kept, and the backward pass
    /// recomputes the segment; otherwise the segment simply runs.
    /// </summary>
    /// <param name="segment">A deterministic function of x and of parameters it closes over.</param>
    /// <param name="x">The segment's input: the only tensor kept for the backward pass.</param>
    public static Tensor Apply(Func<Tensor, Tensor> segment, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(x);
        if (!is_grad_enabled()) return segment(x);
        // A node joins the graph only if one of its tensor inputs requires a gradient; x need not (the first layer's,
        // under frozen embeddings), while the segment's own parameters may. The anchor makes the node always join.
        using var anchor = empty(0, device: x.device).requires_grad_();
        return Recompute.apply(segment, x, anchor);
    }

    private sealed class Recompute : autograd.SingleTensorFunction<Recompute>
    {
        private const string SegmentKey = "segment";

        public override string Name => nameof(ActivationCheckpoint);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (segment, x) = ((Func<Tensor, Tensor>)vars[0], (Tensor)vars[1]);
            ctx.save_data(SegmentKey, segment);
            ctx.save_for_backward([x]);
            // Called with gradient mode off: no graph keeps the segment's activations, and its own scope frees them now
            // rather than when the caller's scope ends.
            using var scope = NewDisposeScope();
            return segment(x).MoveToOuterDisposeScope();
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var segment = (Func<Tensor, Tensor>)ctx.get_data(SegmentKey);
            using var scope = NewDisposeScope();   // the recomputed activations go when this layer's backward is done
            var saved = ctx.get_saved_variables()[0];
            var x = saved.detach().requires_grad_(saved.requires_grad);
            using (enable_grad())
            {
                var y = segment(x);
                if (y.requires_grad) y.backward([gradOutput]);   // accumulates the segment's parameter gradients, and x's
            }
            return [null!, saved.requires_grad ? x.grad!.MoveToOuterDisposeScope() : null!, null!];   // segment, x, anchor
        }
    }
}
