using Rlvr.Training;
using Rlvr.Host.Data;
using Rlvr.Tokenizers;
using TorchSharp;

namespace Rlvr.Host.Tests.Data;

public sealed class TokenBatchTests
{
    // ids: PAD 0, BOS 1, EOS 2, then 'a' 3, 'b' 4.
    private sealed class TwoLetters : ITokenizer
    {
        public int VocabularySize => 5;
        public int Bos => 1;
        public int Eos => 2;
        public int Pad => 0;
        public int[] Encode(string text) => [.. text.Select(c => c - 'a' + 3)];
        public string Decode(ReadOnlySpan<int> ids) => throw new NotSupportedException();
        public void Save(string path) => throw new NotSupportedException();
    }

    [Fact]
    public void TargetsAreInputsShiftedByOneAndPaddingIsIgnored()
    {
        using var scope = torch.NewDisposeScope();
        var (inputs, targets, supervised) = TokenBatch.Create(new TwoLetters(), ["ab", "a"], torch.CPU);

        // "ab" → BOS a b EOS; "a" → BOS a EOS, padded.
        Assert.Equal(new long[] { 1, 3, 4, 1, 3, 0 }, inputs.data<long>().ToArray());
        Assert.Equal(new long[] { 3, 4, 2, 3, 2, TokenBatch.IgnoreIndex }, targets.data<long>().ToArray());
        Assert.Equal(5, supervised);
    }

    [Fact]
    public void AnUnsupervisedPrefixHasNoTargets()
    {
        using var scope = torch.NewDisposeScope();
        var (_, targets, supervised) = TokenBatch.Create(new TwoLetters(), ["ab"], torch.CPU, unsupervisedPrefix: _ => 1);

        Assert.Equal(new long[] { TokenBatch.IgnoreIndex, 4, 2 }, targets.data<long>().ToArray());
        Assert.Equal(2, supervised);
    }
}
