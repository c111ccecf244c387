using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlvr.Training;

/// <summary>The optimiser every training stage uses, set up one way.</summary>
public static class Optimization
{
    /// <summary>
    /// AdamW that decays weight matrices only; norms, biases and other vectors keep their scale (nanoGPT's
    /// configure_optimizers). Frozen parameters (requires_grad false, as under LoRA adapters) are left out: no moments
    /// are kept for them and they never decay.
    /// </summary>
    public static AdamW AdamW(IEnumerable<Parameter> parameters, double learningRate, double weightDecay, double beta1 = 0.9, double beta2 = 0.99)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var all = parameters.Where(p => p.requires_grad).ToList();
        return optim.AdamW([
            new AdamW.ParamGroup(all.Where(p => p.dim() >= 2), new AdamW.Options { weight_decay = weightDecay }),
            new AdamW.ParamGroup(all.Where(p => p.dim() < 2), new AdamW.Options { weight_decay = 0.0 }),
        ], lr: learningRate, beta1: beta1, beta2: beta2);
    }

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public static void SetLearningRate(this optim.Optimizer optimizer, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }
}
