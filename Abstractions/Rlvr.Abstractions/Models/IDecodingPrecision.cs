using static TorchSharp.torch;

namespace Rlvr.Models;

/// <summary>
/// An <see cref="ICausalLanguageModel"/> that can sample in a narrower floating-point type than it trains in (such as
/// bfloat16): fewer bytes a step and faster GEMMs, at that type's rounding. Optional; the sampler asks for it only
/// when it is told to sample in another type (Evaluation:Precision).
/// </summary>
public interface IDecodingPrecision
{
    /// <summary>
    /// As <see cref="ICausalLanguageModel.CreateDecodingState"/>, computing in <paramref name="precision"/> with the
    /// weights as they are now, rounded to it. <see cref="ICausalLanguageModel.Forward(Tensor, IDecodingState)"/> with
    /// the state returns logits in the model's own type.
    /// </summary>
    /// <exception cref="ArgumentException">The model does not decode in <paramref name="precision"/>.</exception>
    IDecodingState CreateDecodingState(Tensor leftPadding, long capacity, ScalarType precision);
}
