using Rlvr.Tokenizers;

namespace Rlvr.Plugins.CharTokenizer;

internal sealed class CharTokenizerFactory : ITokenizerFactory
{
    public ITokenizer Create(string alphabet) => new CharTokenizer(alphabet);
}
