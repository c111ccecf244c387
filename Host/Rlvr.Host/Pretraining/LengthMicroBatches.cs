// Gradient accumulation over micro-batches of similar length. A step's documents are sorted by length and cut into
// equal parts, each padded only to its own longest row; each part's mean loss is weighted by its share of the step's
// supervised tokens, so the summed loss is the whole batch's token mean and the gradient is the padded batch's (up
// to float rounding). The documents of a step are the same either way; only the padding computed shrinks. (Sorting
// the whole stream into length buckets instead changes which documents share a step, and unsettled training here.)
using Rlvr.Models;
using Rlvr.Tokenizers;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Host.Pretraining;

/// <summary>Next-token loss of one step's documents, back-propagated part by part.</summary>
public static class LengthMicroBatches
{
    /// <summary>
    /// The documents in <paramref name="parts"/> groups of similar length, shortest first; one part: the documents
    /// as given, in their order, so that the step is bit for bit the one padded batch.
    /// </summary>
    public static IReadOnlyList<string[]> Split(IReadOnlyList<string> texts, int parts) => Split(texts, parts, text => text.Length);

    private static IReadOnlyList<T[]> Split<T>(IReadOnlyList<T> items, int parts, Func<T, int> length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts, items.Count);
        if (parts == 1) return [[.. items]];
        var sorted = items.Select((item, i) => (item, i)).OrderBy(t => length(t.item)).ThenBy(t => t.i).Select(t => t.item).ToArray();
        return [.. Enumerable.Range(0, parts).Select(p => sorted[(p * sorted.Length / parts)..((p + 1) * sorted.Length / parts)])];
    }

    /// <summary>Token batches of <paramref name="texts"/> in <paramref name="parts"/> parts of similar length (see <see cref="Split"/>).</summary>
    public static IReadOnlyList<(Tensor Inputs, Tensor Targets, long Supervised)> Batches(ITokenizer tokenizer, IReadOnlyList<string> texts, int parts, Device device) =>
        [.. Split(texts, parts).Select(part => TokenBatch.Create(tokenizer, part, device))];

    /// <summary>Token batches of <paramref name="documents"/> in parts of similar text length; a tool's tokens are no targets.</summary>
    internal static IReadOnlyList<(Tensor Inputs, Tensor Targets, long Supervised)> Batches(IReadOnlyList<Document> documents, int pad, int parts, Device device) =>
        [.. Split(documents, parts, d => d.Text.Length).Select(part => TokenBatch.Create([.. part.Select(d => d.Ids)], pad, device,
            part.Any(d => d.ToolWritten is not null) ? (b, t) => part[b].Supervised(t) : null))];

    /// <summary>
    /// Forward and backward of the mean next-token cross-entropy over every supervised target of
    /// <paramref name="batches"/>, one batch at a time. Gradients accumulate into the parameters (zero them before).
    /// </summary>
    /// <returns>The loss: a detached scalar, read without a sync.</returns>
    public static Tensor Backward(ICausalLanguageModel model, IReadOnlyList<(Tensor Inputs, Tensor Targets, long Supervised)> batches)
    {
        long supervised = batches.Sum(b => b.Supervised);
        Tensor? total = null;
        foreach (var (inputs, targets, count) in batches)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(inputs);                                                   // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), targets.view(-1), ignore_index: TokenBatch.IgnoreIndex)
                       * ((double)count / supervised);                                            // × 1.0 exactly for one batch
            loss.backward();
            total = (total is null ? loss.detach() : total + loss.detach()).MoveToOuterDisposeScope();
        }
        return total!;
    }
}
