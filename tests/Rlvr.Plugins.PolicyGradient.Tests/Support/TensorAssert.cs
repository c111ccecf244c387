// Element-wise comparison of a tensor with hand-computed values, on the host.
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient.Tests.Support;

internal static class TensorAssert
{
    public const double Tol = 1e-5;   // float32 arithmetic on O(1) values

    public static float[] Values(Tensor t) => t.detach().cpu().to_type(ScalarType.Float32).data<float>().ToArray();

    public static void Close(double[] expected, Tensor actual, double tol = Tol)
    {
        var a = Values(actual);
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tol, $"element {i}: expected {expected[i]}, got {a[i]}");
    }

    public static void Close(double expected, Tensor scalar, double tol = Tol) => Close([expected], scalar, tol);

    public static Tensor Vec(params float[] values) => tensor(values);

    public static Tensor Mat(long rows, params float[] values) => tensor(values, [rows, values.Length / rows]);
}
