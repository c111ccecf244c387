// A model's weights in bfloat16 for sampling (IDecodingPrecision): a second model of the same shape, made once on first
// use, out of every autograd and inference scope, and held here rather than as a submodule (so it is in no state dict
// and no optimiser). Its weights are overwritten from the model's whenever a bfloat16 state is made, so a state
// decodes the weights of its making. Shared by the transformer and the llama plugin (linked there).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Transformer;

internal sealed class DecodingCopy<TModel>(Func<TModel> create) : IDisposable where TModel : nn.Module
{
    /// <summary>The type the copy computes in.</summary>
    public const ScalarType Precision = ScalarType.BFloat16;

    private TModel? _model;
    private Dictionary<string, Parameter>? _weights;   // the copy's parameters by name

    /// <summary>
    /// Whether a state in <paramref name="precision"/> decodes on the copy: false for the model's own type, true for
    /// <see cref="Precision"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Another type: the model (named by <paramref name="model"/>) does not decode in it.</exception>
    public static bool Needed(ScalarType precision, ScalarType own, string model) =>
        precision == own ? false
        : precision == Precision ? true
        : throw new ArgumentException($"{model} decodes in its own type or bfloat16, not {precision}.", nameof(precision));

    /// <summary>The copy, its weights set to these, by name, rounded to <see cref="Precision"/>.</summary>
    public TModel Refreshed(IEnumerable<(string Name, Tensor Weight)> weights)
    {
        if (_model is null)
        {
            using var normal = inference_mode(false);
            _model = create();
            _model.to(Precision).eval();
            _weights = _model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var weight in _weights.Values) weight.requires_grad = false;
        }
        using (no_grad())
            foreach (var (name, weight) in weights) _weights![name].copy_(weight);
        return _model;
    }

    /// <summary>The copy that made a state whose cache is of <paramref name="dtype"/>.</summary>
    /// <exception cref="ArgumentException">No copy made it.</exception>
    public TModel Decoding(ScalarType dtype, string paramName) => dtype == Precision && _model is { } model ? model
        : throw new ArgumentException("The decoding state was not made by this model's CreateDecodingState.", paramName);

    public void Dispose() => _model?.Dispose();
}
