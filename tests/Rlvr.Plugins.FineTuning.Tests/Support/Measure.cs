// Measurements of a policy outside training: completion-only losses, log-likelihoods and parameter snapshots.
using Rlvr.FineTuning;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Plugins.FineTuning.Tests.Support;

internal static class Measure
{
    // Token-mean cross-entropy of prompt → completion over the completion and end tokens.
    public static double CompletionLoss(ICausalLanguageModel policy, IReadOnlyList<(string Prompt, string Completion)> pairs)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (inputs, targets, _) = TokenBatch.Create(TinyWorld.Tokenizer, [.. pairs.Select(p => p.Prompt + p.Completion)], policy.Device, i => pairs[i].Prompt.Length);
        return TeacherForcedTrainer.CompletionCrossEntropy(policy.Forward(inputs), targets).item<float>();
    }

    public static double CompletionLoss(ICausalLanguageModel policy, IEnumerable<Problem> problems) =>
        CompletionLoss(policy, [.. problems.Select(p => (p.Prompt, p.Solution))]);

    // log p(completion + EOS | BOS + prompt), summed over tokens.
    public static double LogLikelihood(ICausalLanguageModel policy, string prompt, string completion) =>
        -CompletionLoss(policy, [(prompt, completion)]) * (completion.Length + 1);

    public static float[][] Snapshot(ICausalLanguageModel policy) =>
        [.. policy.Module.parameters().Select(p => p.detach().cpu().data<float>().ToArray())];

    // Bit-for-bit, NaN equal to NaN (float.Equals).
    public static bool Same(float[][] a, float[][] b) => a.Length == b.Length && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    public static double MaxDifference(float[][] a, float[][] b) =>
        a.Zip(b).Max(p => p.First.Zip(p.Second).Max(x => Math.Abs(x.First - x.Second)));
}
