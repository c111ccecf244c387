using TorchSharp;

namespace Rlvr.Host.Tests;

/// <summary>The native library loads on this machine: the build's GLIBCXX fix (docs/platform-notes.md) is in place.</summary>
public sealed class TorchSharpNativeTests
{
    [Fact]
    public void MatmulAndAutogradWork()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }).view(2, 2).requires_grad_();
        var y = a.matmul(a).sum();                       // [[7,10],[15,22]] sums to 54
        y.backward();
        Assert.Equal(54f, y.item<float>());
        // ∂/∂A_pq Σ(A·A) = (row sum q of A) + (column sum p of A); rows sum to 3, 7 and columns to 4, 6.
        Assert.Equal(new float[] { 7, 11, 9, 13 }, a.grad!.data<float>().ToArray());
    }
}
