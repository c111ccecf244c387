// The checkpoints Reference/llama_reference.py writes, and what its own forward computed on them (expected.json):
// "llama" (F32, two shards), "qwen2" (q/k/v biases, tied embeddings, F16), "llama3" (llama3 rotary scaling, BF16).
using System.Text.Json;
using Rlvr.Plugins.Llama;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama.Tests.Support;

internal sealed record Expected(long[][] Ids, float[][][] Logits, long[] Prompt, long[] Greedy);

internal static class Fixtures
{
    public static readonly string[] Names = ["llama", "qwen2", "llama3"];

    public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Script => Path.Combine(AppContext.BaseDirectory, "Reference", "llama_reference.py");

    /// <summary>The expected.json in <paramref name="folder"/>.</summary>
    public static Expected Expected(string folder) =>
        JsonSerializer.Deserialize<Expected>(File.ReadAllText(Path.Combine(folder, "expected.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    /// <summary>The fixture's model, loaded on the CPU, in evaluation mode.</summary>
    public static LlamaModel Load(string name, int? contextLength = null)
    {
        var config = LlamaConfig.Read(Path.Combine(Folder(name), LlamaConfig.FileName));
        var model = LlamaCheckpoint.Load(Folder(name), contextLength ?? config.ContextLength, float32, CPU);
        model.eval();
        return model;
    }

    /// <summary>Adapters that have learned something: every B drawn from one seeded generator, so that they change the
    /// logits, and two models with the same adapters get the same values.</summary>
    public static void TrainAdapters(LlamaModel model)
    {
        using var _ = no_grad();
        var g = new Generator(5);
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.EndsWith("lora_B.weight"))) p.copy_(randn(p.shape, generator: g) * 0.1);
    }

    public static Tensor Ids(long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    // Largest absolute difference between two tensors, for assertion messages.
    public static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    /// <summary>Logits of these checkpoints (up to about 6) decoded in bfloat16 against float32: libtorch's own bfloat16 forward differs by up to 0.17.</summary>
    public const float BFloat16Tolerance = 0.25f;
}
