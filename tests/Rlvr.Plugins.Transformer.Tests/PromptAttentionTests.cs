// The prompt's CPU attention kernel against libtorch's fused causal attention: grouped-query heads, head sizes that
// are one, two or several vectors, lengths within a block, across blocks and the longest it takes, the projection's
// strided views, bfloat16, and results that do not depend on the thread count. The sampler's end-to-end agreement with recomputation is
// BatchedSamplerTests'.
using TorchSharp;
using static Rlvr.Plugins.Transformer.Tests.DecodeAttentionTests;   // the tolerances
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class PromptAttentionTests
{
    [Theory]
    [InlineData(4, 4, 8, 1)]
    [InlineData(4, 4, 16, 7)]
    [InlineData(4, 4, 32, 13)]
    [InlineData(8, 2, 32, 9)]     // grouped-query: four query heads a key/value head
    [InlineData(2, 1, 64, 24)]
    [InlineData(4, 4, 16, PromptAttention.LongestPrompt)]
    [InlineData(2, 2, 40, 17)]    // a head size of five vectors: four, then one
    public void TheKernelGivesTheFusedCausalAttentionsOutput(int nh, int nkv, int hs, int T) =>
        AgreesWithFusedAttention(nh, nkv, hs, T, ScalarType.Float32, relative: 0, views: false);

    [Theory]
    [InlineData(4, 4, 32, 13)]
    [InlineData(8, 2, 16, 9)]
    public void InBFloat16TheKernelGivesTheFusedAttentionsOutputToItsRounding(int nh, int nkv, int hs, int T) =>
        AgreesWithFusedAttention(nh, nkv, hs, T, ScalarType.BFloat16, relative: BFloat16Rounding, views: false);

    // q, k and v as the model passes them: views of one projection's output, (B, T, 3, nh, hs) permuted.
    [Theory]
    [InlineData(4, 32, 13, "float32")]
    [InlineData(2, 16, 5, "bfloat16")]
    public void TheKernelReadsTheProjectionsViews(int nh, int hs, int T, string type) =>
        AgreesWithFusedAttention(nh, nh, hs, T, type == "float32" ? ScalarType.Float32 : ScalarType.BFloat16,
            relative: type == "float32" ? 0 : BFloat16Rounding, views: true);

    [Fact]
    public void TheResultDoesNotDependOnTheNumberOfThreads()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(5);
        int B = 100, nh = 4, hs = 16, T = 11;                                                  // several tasks of rows
        var (q, k, v) = (randn([B, nh, T, hs], generator: g), randn([B, nh, T, hs], generator: g), randn([B, nh, T, hs], generator: g));
        int threads = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            var one = PromptAttention.Causal(q, k, v);
            torch.set_num_threads(2);
            var two = PromptAttention.Causal(q, k, v);
            Assert.True((one == two).all().item<bool>(), "one and two threads gave different bits");
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    private static void AgreesWithFusedAttention(int nh, int nkv, int hs, int T, ScalarType dtype, double relative, bool views)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(11);
        int B = 5;
        Tensor Draw(params long[] shape) => randn(shape, generator: g).to(dtype);
        var (q, k, v) = (Draw(B, nh, T, hs), Draw(B, nkv, T, hs), Draw(B, nkv, T, hs));
        if (views)
        {
            var qkv = Draw(B, T, 3, nh, hs).permute(2, 0, 3, 1, 4);                             // (3, B, nh, T, hs), strided
            (q, k, v) = (qkv[0], qkv[1], qkv[2]);
            Assert.False(q.is_contiguous());
        }
        Assert.True(DecodeAttention.Supports(dtype, q.device, hs));

        var y = PromptAttention.Causal(q, k, v);

        var (q32, k32, v32) = (q.to(ScalarType.Float32), k.to(ScalarType.Float32), v.to(ScalarType.Float32));
        var expected = F.scaled_dot_product_attention(q32, k32.repeat_interleave(nh / nkv, 1), v32.repeat_interleave(nh / nkv, 1), is_casual: true)
            .transpose(1, 2).reshape(B, T, nh * hs);
        Assert.Equal([B, T, nh * hs], y.shape);
        Assert.Equal(dtype, y.dtype);
        var difference = (expected - y.to(ScalarType.Float32)).abs();
        Assert.True((difference <= expected.abs() * relative + Tolerance).all().item<bool>(), $"max |difference| {difference.max().item<float>()}");
    }
}
