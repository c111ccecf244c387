namespace Rlvr.Models;

/// <summary>
/// A model that can write itself for tools outside Rlvr: its weights as <c>model.safetensors</c> and its shape as
/// <c>config.json</c> (for a Hugging Face architecture, the layout <c>transformers</c> loads). <c>rlvr export</c>
/// calls it on a run's trained model; a model without it keeps Rlvr's own <c>model.bin</c> only.
/// </summary>
public interface ICheckpointExport
{
    /// <summary>The files an export holds: the weights, and the shape that tools read them by.</summary>
    public const string WeightsFile = "model.safetensors", ConfigFile = "config.json";

    /// <summary>Writes <c>model.safetensors</c> and <c>config.json</c> into <paramref name="folder"/>, which exists and holds neither.</summary>
    void Export(string folder);
}
