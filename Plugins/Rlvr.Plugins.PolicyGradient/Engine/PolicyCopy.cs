// A fresh model holding the policy's current weights: the frozen reference of the KL term, or a separate critic's trunk.
using Rlvr.Models;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

internal static class PolicyCopy
{
    public static ICausalLanguageModel Of(TrainingContext context, bool trainable)
    {
        var copy = context.Architecture.Create(context.Policy.VocabularySize, context.Device, context.Seed);
        using (no_grad())
        {
            var source = context.Policy.Module.state_dict();
            foreach (var (name, target) in copy.Module.state_dict()) target.copy_(source[name]);
        }
        foreach (var p in copy.Module.parameters()) p.requires_grad = trainable;
        if (!trainable) copy.Module.eval();
        return copy;
    }
}
