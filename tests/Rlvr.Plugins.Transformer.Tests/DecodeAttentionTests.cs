// The decode step's CPU attention kernel against libtorch's fused attention over the same keys and values: padding,
// grouped-query heads, a filled length that is no whole block, positions split between a shared prefix and each row's
// own, the new key and value written in place, and results that do not depend on the thread count.
// The sampler's end-to-end agreement with recomputation, through the kernel and through the fused fallback, is
// BatchedSamplerTests'.
using Rlvr.Plugins.Transformer.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class DecodeAttentionTests
{
    internal const double Tolerance = 1e-5;           // float32: the two sum in different orders
    internal const double BFloat16Rounding = 1.0 / 256;   // and in bfloat16 the output is rounded to 8 significant bits: half a unit in the last place is at most 2⁻⁸ of it

    [Theory]
    [InlineData(4, 4, 8, 13, 0)]
    [InlineData(4, 4, 16, 24, 0)]
    [InlineData(8, 2, 32, 5, 0)]     // grouped-query: four query heads a key/value head
    [InlineData(2, 1, 64, 1, 0)]
    [InlineData(4, 4, 8, 13, 6)]     // positions 0-5 in a prefix shared by rows
    [InlineData(8, 2, 16, 20, 9)]
    [InlineData(4, 4, 8, 7, 6)]      // the new position is the own segment's first
    public void TheKernelGivesTheFusedAttentionsOutput(int nh, int nkv, int hs, int filled, int shared) =>
        AgreesWithFusedAttention(nh, nkv, hs, filled, shared, ScalarType.Float32, relative: 0);

    // In bfloat16 the kernel reads and writes bfloat16 and computes in float32; the reference is float32 attention over
    // the same (bfloat16) numbers.
    [Theory]
    [InlineData(4, 4, 8, 13, 0)]
    [InlineData(8, 2, 32, 5, 0)]
    [InlineData(8, 2, 16, 20, 9)]
    [InlineData(4, 4, 8, 7, 6)]
    public void InBFloat16TheKernelGivesTheFusedAttentionsOutputToItsRounding(int nh, int nkv, int hs, int filled, int shared) =>
        AgreesWithFusedAttention(nh, nkv, hs, filled, shared, ScalarType.BFloat16, relative: BFloat16Rounding);

    // q, k and v as the model passes them: views of one projection's output, (B, 1, 3, nh, hs) permuted; the kernel
    // reads them in place, float32 and bfloat16 alike.
    [Theory]
    [InlineData(4, 16, 13, 6, "float32")]
    [InlineData(2, 32, 7, 0, "float32")]
    [InlineData(4, 16, 13, 6, "bfloat16")]
    public void TheKernelReadsTheProjectionsViews(int nh, int hs, int filled, int shared, string type) =>
        AgreesWithFusedAttention(nh, nh, hs, filled, shared, type == "float32" ? ScalarType.Float32 : ScalarType.BFloat16,
            relative: type == "float32" ? 0 : BFloat16Rounding, views: true);

    private static void AgreesWithFusedAttention(int nh, int nkv, int hs, int filled, int shared, ScalarType dtype, double relative, bool views = false)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(7);
        Tensor Draw(long[] shape) => randn(shape, generator: g).to(dtype);
        long[] first = [.. new long[] { 0, 3, filled - 1, 1, 0 }.Select(p => Math.Min(p, filled - 1))];   // left padding per row
        int B = first.Length, slots = 32;
        int[] ownRows = [3, 0, 4, 1, 2], prefixRows = [1, 1, 0, 1, 0];                       // rows point into the stores
        var q = Draw([B, nh, 1, hs]);
        var (k, v) = (Draw([B, nkv, 1, hs]), Draw([B, nkv, 1, hs]));                          // the new position's
        if (views)
        {
            var qkv = Draw([B, 1, 3, nh, hs]).permute(2, 0, 3, 1, 4);                          // (3, B, nh, 1, hs), strided
            (q, k, v) = (qkv[0], qkv[1], qkv[2]);
            Assert.False(q.is_contiguous());
        }
        var ownKeys = Draw([slots / 8, B, nkv, hs, 8]);                                        // block-major, each head's block transposed, as the cache holds them
        var ownValues = Draw([slots / 8, B, nkv, 8, hs]);
        var prefixKeys = Draw([slots / 8, 2, nkv, hs, 8]);
        var prefixValues = Draw([slots / 8, 2, nkv, 8, hs]);
        Assert.True(DecodeAttention.Supports(q.dtype, q.device, hs));
        Assert.Equal(dtype, q.dtype);

        // Each row's keys and values, (B, nkv, L, hs), as the kernel should see them once it has written the new ones.
        var rows = tensor(ownRows.Select(r => (long)r).ToArray());
        var K = KeyPositions(ownKeys).index_select(0, rows).narrow(2, 0, filled - shared).clone();
        var V = ValuePositions(ownValues).index_select(0, rows).narrow(2, 0, filled - shared).clone();
        K.narrow(2, filled - shared - 1, 1).copy_(k);
        V.narrow(2, filled - shared - 1, 1).copy_(v);
        if (shared > 0)
        {
            var from = tensor(prefixRows.Select(r => (long)r).ToArray());
            K = cat([KeyPositions(prefixKeys).index_select(0, from).narrow(2, 0, shared), K], 2);
            V = cat([ValuePositions(prefixValues).index_select(0, from).narrow(2, 0, shared), V], 2);
        }

        var y = DecodeAttention.Step(q, k, v, Segment(ownKeys, ownValues, shared, ownRows), Segment(prefixKeys, prefixValues, 0, prefixRows), first, filled,
            DecodeAttention.Order(ownRows));

        var seen = arange(filled).view(1, 1, 1, filled) >= tensor(first).view(B, 1, 1, 1);    // (B, 1, 1, L)
        var (q32, K32, V32) = (q.to(ScalarType.Float32), K.to(ScalarType.Float32), V.to(ScalarType.Float32));
        var expected = F.scaled_dot_product_attention(q32, K32.repeat_interleave(nh / nkv, 1), V32.repeat_interleave(nh / nkv, 1), seen).transpose(1, 2).reshape(B, 1, nh * hs);
        Assert.Equal([B, 1, nh * hs], y.shape);
        Assert.Equal(dtype, y.dtype);
        var difference = (expected - y.to(ScalarType.Float32)).abs();
        Assert.True((difference <= expected.abs() * relative + Tolerance).all().item<bool>(), $"max |difference| {difference.max().item<float>()}");
        var written = KeyPositions(ownKeys).index_select(0, rows).narrow(2, filled - shared - 1, 1);
        Assert.True((written == k).all().item<bool>(), "the new keys are not in the rows' own segment");
        Assert.True((ValuePositions(ownValues).index_select(0, rows).narrow(2, filled - shared - 1, 1) == v).all().item<bool>(), "the new values are not in the rows' own segment");
    }

    [Fact]
    public void TheResultDoesNotDependOnTheNumberOfThreads()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        int B = 300, nh = 4, hs = 16, slots = 40;                                             // several tasks of rows
        var q = randn([B, nh, 1, hs], generator: g);
        var (k, v) = (randn([B, nh, 1, hs], generator: g), randn([B, nh, 1, hs], generator: g));
        var keys = randn([slots / 8, B, nh, hs, 8], generator: g);
        var values = randn([slots / 8, B, nh, 8, hs], generator: g);
        var first = Enumerable.Range(0, B).Select(b => (long)(b % 7)).ToArray();
        var own = Segment(keys, values, 0, [.. Enumerable.Range(0, B)]);
        int threads = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            int[] order = DecodeAttention.Order(own.Rows);
            var one = DecodeAttention.Step(q, k, v, own, default, first, 37, order);
            torch.set_num_threads(2);
            var two = DecodeAttention.Step(q, k, v, own, default, first, 37, order);
            Assert.True((one == two).all().item<bool>(), "one and two threads gave different bits");
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    // A bfloat16 decode step runs on more rows than the batch (KeyValueCache.Padded): the kernel computes the batch's
    // rows as it would alone and gives the extra rows zeros, whatever their queries, keys and values hold.
    [Theory]
    [InlineData("float32")]
    [InlineData("bfloat16")]
    public void ExtraRowsOfAPaddedStepGetZerosAndLeaveTheBatchsRowsAlone(string type)
    {
        using var scope = NewDisposeScope();
        var dtype = type == "float32" ? ScalarType.Float32 : ScalarType.BFloat16;
        using var g = new Generator(11);
        int B = 5, extra = 3, nh = 4, hs = 16, slots = 24;
        Tensor Draw(long[] shape) => randn(shape, generator: g).to(dtype);
        var (q, k, v) = (Draw([B, nh, 1, hs]), Draw([B, nh, 1, hs]), Draw([B, nh, 1, hs]));
        var keys = Draw([slots / 8, B, nh, hs, 8]);
        var values = Draw([slots / 8, B, nh, 8, hs]);
        long[] first = [0, 2, 0, 5, 1];
        var own = Segment(keys, values, 0, [4, 2, 0, 1, 3]);
        int[] order = DecodeAttention.Order(own.Rows);
        var alone = DecodeAttention.Step(q, k, v, own, default, first, 17, order);

        var nan = full([extra, nh, 1, hs], double.NaN, dtype);
        var padded = DecodeAttention.Step(cat([q, nan]), cat([k, nan]), cat([v, nan]), own, default, first, 17, order);

        Assert.Equal([B + extra, 1, nh * hs], padded.shape);
        Assert.True((padded.narrow(0, 0, B) == alone).all().item<bool>(), "the batch's rows changed with extra rows");
        Assert.True((padded.narrow(0, B, extra) == 0).all().item<bool>(), "the extra rows are not zeros");
    }

    private static DecodeAttention.Segment Segment(Tensor keys, Tensor values, int start, int[] rows) =>
        new(DecodeAttention.Address(keys), DecodeAttention.Address(values), start, (int)keys.shape[1], rows);

    // Keys in the cache's blocks, (slots / 8, rows, nkv, hs, 8), as one key per position: (rows, nkv, slots, hs).
    private static Tensor KeyPositions(Tensor blocks) => blocks.permute(1, 2, 0, 4, 3).reshape(blocks.shape[1], blocks.shape[2], -1, blocks.shape[3]);

    // Values in the cache's blocks, (slots / 8, rows, nkv, 8, hs), as one value per position: (rows, nkv, slots, hs).
    private static Tensor ValuePositions(Tensor blocks) => blocks.permute(1, 2, 0, 3, 4).reshape(blocks.shape[1], blocks.shape[2], -1, blocks.shape[4]);
}
