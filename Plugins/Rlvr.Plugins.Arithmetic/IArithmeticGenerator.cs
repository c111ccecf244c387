// One kind of arithmetic problem. ArithmeticTask picks one from the options; the verifier and WriteSolution
// recognise a problem's kind from its prompt, so they need no options.
using Rlvr.Tasks;

namespace Rlvr.Plugins.Arithmetic;

internal interface IArithmeticGenerator
{
    string Alphabet { get; }

    int MinDifficulty { get; }          // the easiest problem this kind can pose

    Problem Generate(int difficulty, Random random);
}
