// A broken model folder fails with an error that names the file and the field or tensor at fault.
using System.Text.Json.Nodes;
using Rlvr.Plugins.Llama.Tests.Support;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama.Tests;

public sealed class CheckpointErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rlvr-llama-broken-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // A copy of a fixture, its config.json edited by <paramref name="edit"/>.
    private string Copy(string name, Action<JsonObject>? edit = null)
    {
        foreach (string file in Directory.GetFiles(Fixtures.Folder(name))) File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        if (edit is null) return _folder;
        string config = Path.Combine(_folder, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        edit(json);
        File.WriteAllText(config, json.ToJsonString());
        return _folder;
    }

    private static InvalidDataException Fails(string folder) =>
        Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Load(folder, 16, float32, CPU).Dispose());

    [Fact]
    public void MalformedJsonNamesTheFile()
    {
        Copy("qwen2");
        File.WriteAllText(Path.Combine(_folder, "config.json"), "{ \"hidden_size\": 32,");
        Assert.StartsWith($"{Path.Combine(_folder, "config.json")}: not valid JSON", Fails(_folder).Message);
    }

    [Fact]
    public void AMissingFieldIsNamed() =>
        Assert.Equal($"{Path.Combine(_folder, "config.json")}: hidden_size is missing.", Fails(Copy("qwen2", c => c.Remove("hidden_size"))).Message);

    [Fact]
    public void AFieldOfTheWrongKindIsNamed() =>
        Assert.Equal($"{Path.Combine(_folder, "config.json")}: num_hidden_layers must be a whole number, not \"two\".", Fails(Copy("qwen2", c => c["num_hidden_layers"] = "two")).Message);

    [Fact]
    public void KeyValueHeadsThatDoNotDivideTheHeadsAreRefused() =>
        Assert.Contains("config.json: num_key_value_heads: 3 must divide num_attention_heads (4)", Fails(Copy("qwen2", c => c["num_key_value_heads"] = 3)).Message);

    [Fact]
    public void AnUnknownRopeScalingIsRefused()
    {
        var error = Fails(Copy("llama3", c => c["rope_scaling"]!["rope_type"] = "yarn"));
        Assert.Equal($"{Path.Combine(_folder, "config.json")}: rope_scaling type \"yarn\" is not supported; only \"llama3\" scaling (or none) is.", error.Message);
    }

    [Fact]
    public void AMissingTensorNamesTheFileAndTheTensor()
    {
        Copy("llama");
        string index = Path.Combine(_folder, "model.safetensors.index.json");
        var json = JsonNode.Parse(File.ReadAllText(index))!.AsObject();
        json["weight_map"]!.AsObject().Remove("model.norm.weight");
        File.WriteAllText(index, json.ToJsonString());
        Assert.Equal($"{index}: tensor 'model.norm.weight' is missing.", Fails(_folder).Message);
    }

    [Fact]
    public void ATensorOfTheWrongShapeNamesTheFileAndTheTensor()
    {
        // The same weights read with intermediate_size 32: the stored gate_proj is (48, 32).
        var error = Fails(Copy("qwen2", c => c["intermediate_size"] = 32));
        Assert.Equal($"{Path.Combine(_folder, "model.safetensors")}: tensor 'model.layers.0.mlp.gate_proj.weight' has shape [48, 32]; config.json's model needs [32, 32].", error.Message);
    }

    [Fact]
    public void ATruncatedWeightsFileNamesTheFileAndTheTensor()
    {
        Copy("qwen2");
        string weights = Path.Combine(_folder, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..^10]);                                  // cuts into the last tensor, model.norm.weight
        var error = Fails(_folder);
        Assert.True(error.Message.StartsWith($"{weights}: tensor 'model.norm.weight': data_offsets"), error.Message);
    }

    [Fact]
    public void AContextBeyondTheCheckpointsPositionsNamesTheKey()
    {
        var error = Assert.Throws<InvalidDataException>(() => LlamaCheckpoint.Load(Copy("qwen2"), 65, float32, CPU));
        Assert.StartsWith("Models:Llama:ContextLength: 65 is more than the 64 positions of", error.Message);
    }
}
