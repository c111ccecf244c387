// The bfloat16 residual add and layer norm in one pass against libtorch's add and then layer_norm: the sum bit for bit
// (both round the float32 sum to nearest), the norm to bfloat16's rounding; more rows than one task; the result not
// depending on the thread count. The sampler's agreement with recomputation in bfloat16 is BatchedSamplerTests'.
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class ResidualNormTests
{
    [Theory]
    [InlineData(5, 32)]
    [InlineData(600, 128)]   // several tasks of rows
    [InlineData(3, 40)]      // a width of five vectors
    public void TheSumIsLibtorchsAndTheNormAgreesToBFloat16sRounding(int rows, int C)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(13);
        var x = (randn([rows, 1, C], generator: g) * 3).to(ScalarType.BFloat16);
        var a = randn([rows, 1, C], generator: g).to(ScalarType.BFloat16);
        var norm = nn.LayerNorm(C);
        using (no_grad())
        {
            norm.weight!.copy_(randn([C], generator: g));
            norm.bias!.copy_(randn([C], generator: g));
        }
        norm.to(ScalarType.BFloat16);
        Assert.True(ResidualNorm.Supports(x));

        var (sum, normed) = ResidualNorm.Apply(x, a, norm);

        var expectedSum = x + a;
        Assert.True((sum == expectedSum).all().item<bool>(), "the sum differs from libtorch's");
        var expected = F.layer_norm(expectedSum.to(ScalarType.Float32), [C], norm.weight!.to(ScalarType.Float32), norm.bias!.to(ScalarType.Float32));
        var difference = (expected - normed.to(ScalarType.Float32)).abs();
        Assert.True((difference <= expected.abs() * DecodeAttentionTests.BFloat16Rounding + 1e-3).all().item<bool>(), $"max |difference| {difference.max().item<float>()}");
    }

    [Fact]
    public void TheResultDoesNotDependOnTheNumberOfThreads()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(17);
        var x = randn([700, 64], generator: g).to(ScalarType.BFloat16);
        var a = randn([700, 64], generator: g).to(ScalarType.BFloat16);
        var norm = nn.LayerNorm(64);
        norm.to(ScalarType.BFloat16);
        int threads = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            var one = ResidualNorm.Apply(x, a, norm).Normed;
            torch.set_num_threads(2);
            var two = ResidualNorm.Apply(x, a, norm).Normed;
            Assert.True((one == two).all().item<bool>(), "one and two threads gave different bits");
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }
}
