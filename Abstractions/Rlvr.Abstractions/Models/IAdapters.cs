namespace Rlvr.Models;

/// <summary>
/// A model that trains adapters over frozen weights (LoRA, for one). Switched off, the adapters add nothing and the
/// model computes with its frozen weights alone: the policy-gradient engine takes that as its KL reference instead of
/// a copy of the model, so a large model is held in memory once.
/// </summary>
public interface IAdapters
{
    /// <summary>True when the model has adapters and every other weight is frozen.</summary>
    bool HasAdapters { get; }

    /// <summary>Computes without the adapters until the returned scope is disposed.</summary>
    IDisposable WithoutAdapters();
}
