using Rlvr.Host.Pretraining;
using Rlvr.Host.Tests.Reports;
using Rlvr.Tools;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Pretraining;

/// <summary>Pretraining documents that call a tool: the tool's tokens are inputs, never targets, packed or padded.</summary>
public sealed class ToolDocumentsTests
{
    private static readonly CharTokenizer Tokenizer = new("abc");          // a = 0, b = 1, c = 2, BOS 3, EOS 4, PAD 5
    private const long Ignored = TokenBatch.IgnoreIndex;

    // After an 'a' the tool writes "bb".
    private sealed class WritesBb : ITool
    {
        public string CallEnd => "a";
        public ToolReply? Reply(string text) => ToolReply.Of("bb");
    }

    private static Document Trace() => Document.Of(Tokenizer, new WritesBb(), prompt: "c", solution: "abbc");

    [Fact]
    public void ADocumentMarksTheToolsTokensAndTheirPredictionsAreNotTrainedOn()
    {
        var document = Trace();

        Assert.Equal([3, 2, 0, 1, 1, 2, 4], document.Ids);
        Assert.Equal([false, false, false, true, true, false, false], document.ToolWritten!);
        Assert.Equal([true, true, false, false, true, true], Enumerable.Range(0, 6).Select(document.Supervised));
        Assert.Equal(TokenBatch.Sequence(Tokenizer, "cabbc"), Document.Of(Tokenizer, tool: null, "c", "abbc").Ids);
    }

    [Fact]
    public void PackedRowsIgnoreTheTargetsAToolWrote()
    {
        var rows = new PackedRows(Trace);
        using var scope = NewDisposeScope();

        var (inputs, targets, supervised) = rows.Next(rows: 2, length: 6, CPU);

        // The stream is the document again and again: 3 2 0 1 1 2 4 | 3 2 0 1 1 2 4 | ...; a row holds 7 ids.
        Assert.Equal([3L, 2, 0, 1, 1, 2, 3, 2, 0, 1, 1, 2], inputs.data<long>().ToArray());
        Assert.Equal([2L, 0, Ignored, Ignored, 2, 4, 2, 0, Ignored, Ignored, 2, 4], targets.data<long>().ToArray());
        Assert.Equal(8, supervised);
    }

    [Fact]
    public void PaddedBatchesIgnoreTheTargetsAToolWrote()
    {
        using var scope = NewDisposeScope();

        var (inputs, targets, supervised) = Assert.Single(LengthMicroBatches.Batches([Trace(), Document.Of(Tokenizer, null, "c", "b")], Tokenizer.Pad, parts: 1, CPU));

        Assert.Equal([3L, 2, 0, 1, 1, 2, 3, 2, 1, 5, 5, 5], inputs.data<long>().ToArray());
        Assert.Equal([2L, 0, Ignored, Ignored, 2, 4, 2, 1, 4, Ignored, Ignored, Ignored], targets.data<long>().ToArray());
        Assert.Equal(7, supervised);
    }
}
