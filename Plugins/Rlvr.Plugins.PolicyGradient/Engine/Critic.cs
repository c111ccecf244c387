// PPO's critic: a scalar value per position, read from hidden states by a linear head. The head sits on the policy's
// own features (shared trunk), or on a separate copy of the policy trained by its own optimiser.
using Rlvr.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlvr.PolicyGradient;

/// <summary>How PPO trains its critic: a separate copy or a head on the policy, and the knobs of its loss.</summary>
internal sealed record CriticSettings(bool Separate, double LearningRate, double ValueClip, double ValueCoefficient, int WarmupSteps);

internal sealed class Critic : IDisposable
{
    private readonly ICausalLanguageModel? _trunk;   // null: the head reads the policy's features
    private readonly nn.Module<Tensor, Tensor> _head;

    private Critic(ICausalLanguageModel? trunk, int width, Device device)
    {
        _trunk = trunk;
        _head = nn.Linear(width, 1);
        using (no_grad())
            foreach (var p in _head.parameters()) p.zero_();                  // V ≡ 0 at the start: no arbitrary initial baseline
        _head.to(device);
    }

    /// <summary>A value head on the policy's features.</summary>
    public static Critic Shared(ICausalLanguageModel policy) => new(null, policy.Width, policy.Device);

    /// <summary>A copy of the policy with its own value head.</summary>
    public static Critic Separate(ICausalLanguageModel copy) => new(copy, copy.Width, copy.Device);

    public bool IsShared => _trunk is null;

    /// <summary>Parameters the critic's optimiser owns: the head, and the trunk when it is separate.</summary>
    public IEnumerable<Parameter> Parameters => _trunk is null ? _head.parameters() : _head.parameters().Concat(_trunk.Module.parameters());

    /// <summary>Values in the rollout layout, shape (B, T): column t is V of the state before token t.</summary>
    /// <param name="tokens">Token ids (B, T).</param>
    /// <param name="policyFeatures">The policy's features for <paramref name="tokens"/>, used when the head is shared.</param>
    public Tensor Values(Tensor tokens, Tensor? policyFeatures)
    {
        var features = _trunk is null
            ? policyFeatures ?? throw new ArgumentNullException(nameof(policyFeatures), "A shared value head reads the policy's features.")
            : _trunk.Features(tokens);
        return TokenLogProbs.AlignToTokens(_head.forward(features).squeeze(-1));
    }

    public void Train(bool on)
    {
        _head.train(on);
        _trunk?.Module.train(on);
    }

    public void Save(string path) => _head.save(path);

    public void SaveTrunk(string path) => _trunk?.Module.save(path);

    public void Load(string headPath, string trunkPath)
    {
        _head.load(headPath);
        if (_trunk is not null) _trunk.Module.load(trunkPath);
    }

    public void Dispose()
    {
        _head.Dispose();
        _trunk?.Dispose();
    }
}
