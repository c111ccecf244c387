// The knobs of the decoder-only transformer, bound from Models:Transformer; a study file holds only overrides.
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.Transformer;

public sealed class TransformerOptions : GptOptions
{
    [Range(1, 64)] public int Layers { get; set; } = 4;                      // n_layer: transformer blocks
}
