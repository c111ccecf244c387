// Test doubles for the likelihood part: a character tokenizer and a model whose logits are all zero, so every
// token has probability 1/V and a completion of L tokens plus EOS has log-likelihood −(L + 1) ln V.
using Rlvr.Models;
using Rlvr.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Reports;

internal sealed class CharTokenizer(string alphabet) : ITokenizer
{
    public int VocabularySize => alphabet.Length + 3;
    public int Bos => alphabet.Length;
    public int Eos => alphabet.Length + 1;
    public int Pad => alphabet.Length + 2;
    public int[] Encode(string text) => [.. text.Select(c => alphabet.IndexOf(c) is var i and >= 0 ? i : throw new ArgumentException($"'{c}'"))];
    public string Decode(ReadOnlySpan<int> ids) => string.Concat(ids.ToArray().Where(i => i < alphabet.Length).Select(i => alphabet[i]));
    public void Save(string path) => throw new NotSupportedException();
}

internal sealed class UniformModel(int vocabularySize) : ICausalLanguageModel
{
    private readonly nn.Module _module = nn.Linear(1, 1);

    public bool Disposed { get; private set; }
    public int Calls { get; private set; }
    public nn.Module Module => _module;
    public int ContextLength => 64;
    public int VocabularySize => vocabularySize;
    public Device Device => CPU;
    public int Width => 1;

    public Tensor Forward(Tensor tokens)
    {
        Calls++;
        return zeros(tokens.shape[0], tokens.shape[1], vocabularySize);
    }

    public Tensor Features(Tensor tokens) => throw new NotSupportedException();
    public Tensor Logits(Tensor features) => throw new NotSupportedException();
    public IDecodingState CreateDecodingState(Tensor leftPadding, long capacity) => throw new NotSupportedException();
    public Tensor Forward(Tensor tokens, IDecodingState state) => throw new NotSupportedException();

    public void Dispose()
    {
        Disposed = true;
        _module.Dispose();
    }
}
