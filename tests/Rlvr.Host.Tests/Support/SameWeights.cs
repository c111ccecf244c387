using Rlvr.Models;

namespace Rlvr.Host.Tests.Support;

internal static class SameWeights
{
    /// <summary>Asserts that <paramref name="actual"/> holds <paramref name="expected"/>'s state, tensor for tensor, bit for bit.</summary>
    public static void Assert(ICausalLanguageModel expected, ICausalLanguageModel actual, string differs)
    {
        var state = expected.Module.state_dict();
        foreach (var (name, tensor) in actual.Module.state_dict())
            Xunit.Assert.True(tensor.equal(state[name]).all().item<bool>(), $"{name} {differs}");
    }
}
