using System.Text.Json.Nodes;

namespace Rlvr.Host.Training;

/// <summary>
/// A host-side part of a training run whose state the checkpoint keeps beside the policy and the session (draw
/// counters, a curriculum), so that a resumed run continues exactly as the uninterrupted one.
/// </summary>
public interface ICheckpointable
{
    /// <summary>The key of this part's state in the checkpoint.</summary>
    string CheckpointKey { get; }

    JsonNode SaveState();

    void LoadState(JsonNode state);
}
