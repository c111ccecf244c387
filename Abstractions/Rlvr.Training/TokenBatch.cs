// Teacher-forcing batches: each text becomes BOS + tokens + EOS; inputs drop the last token, targets the first,
// and rows are right-padded to the longest row with PAD inputs and ignored targets.
using Rlvr.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Training;

/// <summary>Builds next-token prediction batches from text.</summary>
public static class TokenBatch
{
    /// <summary>The target id that cross-entropy ignores.</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Token ids of BOS + <paramref name="text"/> + EOS.</summary>
    public static int[] Sequence(ITokenizer tokenizer, string text) => [tokenizer.Bos, .. tokenizer.Encode(text), tokenizer.Eos];

    /// <summary>
    /// Inputs (B, T) and targets (B, T) for <paramref name="texts"/>, T the longest sequence less one. The first
    /// <paramref name="unsupervisedPrefix"/>(i) tokens of text i (its encoded prompt) are not predicted: only what
    /// follows them is supervised, which is how SFT masks the prompt.
    /// </summary>
    /// <returns>The tensors, and the number of supervised targets.</returns>
    public static (Tensor Inputs, Tensor Targets, long Supervised) Create(ITokenizer tokenizer, IReadOnlyList<string> texts, Device device, Func<int, int>? unsupervisedPrefix = null) =>
        // Prefix tokens: +1 for BOS, −1 since target t predicts s[t+1].
        Create([.. texts.Select(t => Sequence(tokenizer, t))], tokenizer.Pad, device, unsupervisedPrefix is null ? null : (b, t) => t >= unsupervisedPrefix(b));

    /// <summary>
    /// Inputs (B, T) and targets (B, T) for token <paramref name="sequences"/> (BOS first), T the longest sequence
    /// less one, right-padded with <paramref name="pad"/>. Target t of row b predicts token t + 1 and is supervised
    /// where <paramref name="supervised"/>(b, t) holds (default: every target); the others are ignored.
    /// </summary>
    /// <returns>The tensors, and the number of supervised targets.</returns>
    public static (Tensor Inputs, Tensor Targets, long Supervised) Create(IReadOnlyList<int[]> sequences, int pad, Device device, Func<int, int, bool>? supervised = null)
    {
        int T = sequences.Max(s => s.Length) - 1, B = sequences.Count;
        var inputs = new long[B * T];
        var targets = new long[B * T];
        Array.Fill(inputs, pad);
        Array.Fill(targets, IgnoreIndex);
        long count = 0;
        for (int b = 0; b < B; b++)
        {
            var s = sequences[b];
            for (int t = 0; t < s.Length - 1; t++)
            {
                inputs[b * T + t] = s[t];
                if (supervised?.Invoke(b, t) ?? true) { targets[b * T + t] = s[t + 1]; count++; }
            }
        }
        return (tensor(inputs, [B, T], ScalarType.Int64).to(device), tensor(targets, [B, T], ScalarType.Int64).to(device), count);
    }
}
