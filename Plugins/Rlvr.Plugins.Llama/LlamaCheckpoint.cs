// A Hugging Face model folder: config.json beside model.safetensors, or beside shards listed by
// model.safetensors.index.json's weight_map. Loading checks every parameter's tensor is there with its shape, and
// names the file and tensor when one is not; tensors the model has no parameter for (rotary caches, a tied head
// written anyway) are ignored. Saving writes one model.safetensors and config.json, which transformers loads.
using Rlvr.Models;
using Rlvr.Training;
using static TorchSharp.torch;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlvr.Plugins.Llama;

internal static class LlamaCheckpoint
{
    public const string WeightsFile = ICheckpointExport.WeightsFile, IndexFile = "model.safetensors.index.json";

    /// <summary>Builds the model a folder describes and loads its weights.</summary>
    /// <exception cref="InvalidDataException">config.json or a weights file is malformed, or a tensor is missing or of the wrong shape.</exception>
    /// <param name="lora">Adapters to add, fresh (B = 0) from <paramref name="seed"/>; null: none.</param>
    public static LlamaModel Load(string folder, int contextLength, ScalarType dtype, Device device, LoraSpec? lora = null, long seed = 0)
    {
        var config = LlamaConfig.Read(Path.Combine(folder, LlamaConfig.FileName));
        if (contextLength > config.ContextLength)
            throw new InvalidDataException($"{LlamaOptions.Section}:ContextLength: {contextLength} is more than the {config.ContextLength} positions of {Path.Combine(folder, LlamaConfig.FileName)} (max_position_embeddings).");
        var model = new LlamaModel(config, contextLength, dtype, device, seed, lora);
        try
        {
            LoadWeights(model, folder);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copies a folder's tensors into <paramref name="model"/>'s parameters, converting their type and device.</summary>
    public static void LoadWeights(LlamaModel model, string folder)
    {
        var (files, listing) = WeightFiles(folder);
        var headers = files.Values.Distinct().ToDictionary(f => f, Safetensors.ReadHeader);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (LoraLinear.IsAdapter(name)) continue;                                                 // adapters are the run's, not the checkpoint's
            if (!files.TryGetValue(name, out var file) || !headers[file].TryGetValue(name, out var entry))
                throw new InvalidDataException($"{file ?? listing}: tensor '{name}' is missing.");
            if (!entry.Shape.SequenceEqual(parameter.shape))
                throw new InvalidDataException($"{file}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}]; config.json's model needs [{string.Join(", ", parameter.shape)}].");
            parameter.copy_(Safetensors.Read(file, entry));
        }
    }

    /// <summary>Writes <paramref name="model"/> as a Hugging Face model folder: config.json and model.safetensors.</summary>
    public static void Save(LlamaModel model, string folder)
    {
        Directory.CreateDirectory(folder);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Safetensors.Write(Path.Combine(folder, WeightsFile), model.CheckpointTensors());
        model.Config.Write(Path.Combine(folder, LlamaConfig.FileName), model.Module.parameters().First().dtype);
    }

    // Which file holds each tensor, and the file that lists them: model.safetensors itself, or the index's weight_map.
    private static (Dictionary<string, string> Files, string Listing) WeightFiles(string folder)
    {
        string single = Path.Combine(folder, WeightsFile), index = Path.Combine(folder, IndexFile);
        if (File.Exists(single)) return (Safetensors.ReadHeader(single).Keys.ToDictionary(k => k, _ => single), single);
        if (!File.Exists(index)) throw new InvalidDataException($"{folder}: neither {WeightsFile} nor {IndexFile} is there.");
        try
        {
            var map = (JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject) ?? throw new InvalidDataException($"{index}: weight_map is missing.");
            return (map.ToDictionary(e => e.Key, e => Path.Combine(folder, e.Value!.GetValue<string>())), index);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new InvalidDataException($"{index}: weight_map must map tensor names to file names ({e.Message}).", e);
        }
    }
}
