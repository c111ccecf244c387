// The knobs of the looped (recurrent-depth) transformer, bound from Models:LoopedTransformer: Blocks distinct blocks
// applied Loops times with shared weights. The defaults spend the default transformer's compute (4 block
// applications) on a quarter of its block parameters.
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.Transformer;

public sealed class LoopedTransformerOptions : GptOptions
{
    [Range(1, 64)] public int Blocks { get; set; } = 1;                      // distinct blocks in the loop body
    [Range(1, 64)] public int Loops { get; set; } = 4;                       // R: loop-body applications in pretraining and RL training
    [Range(0, 256)] public int EvaluationLoops { get; set; }                 // R for held-out problems (the host evaluates through IEvaluationMode); 0 = Loops
    public bool InputInjection { get; set; } = true;                         // add the embedded input again before every loop after the first
}
