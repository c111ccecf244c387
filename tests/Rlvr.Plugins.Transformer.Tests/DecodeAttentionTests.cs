// The decode step's CPU attention kernel against libtorch's fused attention over the same keys and values: padding,
// grouped-query heads, a filled length that is no whole block, and results that do not depend on the thread count.
// The sampler's end-to-end agreement with recomputation, through the kernel and through the fused fallback, is
// BatchedSamplerTests'.
using Rlvr.Plugins.Transformer.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class DecodeAttentionTests
{
    private const double Tolerance = 1e-5;   // float32: the two sum in different orders

    [Theory]
    [InlineData(4, 4, 8, 13)]
    [InlineData(4, 4, 16, 24)]
    [InlineData(8, 2, 32, 5)]     // grouped-query: four query heads a key/value head
    [InlineData(2, 1, 64, 1)]
    public void TheKernelGivesTheFusedAttentionsOutput(int nh, int nkv, int hs, int filled)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(7);
        long[] first = [.. new long[] { 0, 3, filled - 1, 1, 0 }.Select(p => Math.Min(p, filled - 1))];   // left padding per row
        int B = first.Length, slots = 32;
        var q = randn([B, nh, 1, hs], generator: g);
        var keys = randn([B, nkv, hs, slots], generator: g);                                   // transposed, as the cache holds them
        var values = randn([B, nkv, slots, hs], generator: g);
        Assert.True(DecodeAttention.Supports(q.dtype, q.device, hs));

        var y = DecodeAttention.Compute(q, keys, values, first, filled);                       // (B, 1, nh · hs)

        var K = keys.narrow(3, 0, filled).transpose(2, 3).repeat_interleave(nh / nkv, 1);      // (B, nh, L, hs)
        var V = values.narrow(2, 0, filled).repeat_interleave(nh / nkv, 1);
        var seen = arange(filled).view(1, 1, 1, filled) >= tensor(first).view(B, 1, 1, 1);    // (B, 1, 1, L)
        var expected = F.scaled_dot_product_attention(q, K, V, seen).transpose(1, 2).reshape(B, 1, nh * hs);
        Assert.Equal([B, 1, nh * hs], y.shape);
        Assert.True(TinyModels.MaxDifference(expected, y) < Tolerance, $"max |difference| {TinyModels.MaxDifference(expected, y)}");
    }

    [Fact]
    public void TheResultDoesNotDependOnTheNumberOfThreads()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        int B = 300, nh = 4, hs = 16, slots = 40;                                             // several tasks of rows
        var q = randn([B, nh, 1, hs], generator: g);
        var keys = randn([B, nh, hs, slots], generator: g);
        var values = randn([B, nh, slots, hs], generator: g);
        var first = Enumerable.Range(0, B).Select(b => (long)(b % 7)).ToArray();
        int threads = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            var one = DecodeAttention.Compute(q, keys, values, first, 37);
            torch.set_num_threads(2);
            var two = DecodeAttention.Compute(q, keys, values, first, 37);
            Assert.True((one == two).all().item<bool>(), "one and two threads gave different bits");
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }
}
