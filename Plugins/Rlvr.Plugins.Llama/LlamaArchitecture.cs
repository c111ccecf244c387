// The "llama" model architecture: the model of Models:Llama:Path's folder, or a fresh one shaped by the options.
using Microsoft.Extensions.Options;
using Rlvr.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlvr.Plugins.Llama;

internal sealed class LlamaArchitecture(IOptions<LlamaOptions> options) : IModelArchitecture
{
    // Thread-safe: a fresh model draws its weights from its own generator; a loaded one reads its files.
    public ICausalLanguageModel Create(int vocabularySize, Device device, long seed)
    {
        var o = options.Value;
        var dtype = DTypeOn(device, o.DType);
        var lora = LoraSpec.From(o);
        var model = o.Path is { Length: > 0 } path
            ? LlamaCheckpoint.Load(path, o.ContextLength, dtype, device, lora, seed)
            : new LlamaModel(LlamaConfig.FromOptions(o, vocabularySize), o.ContextLength, dtype, device, seed, lora);
        model.CheckpointLayers = o.ActivationCheckpointing;
        if (vocabularySize <= model.VocabularySize) return model;   // a fresh model's vocabulary is the tokenizer's
        model.Dispose();
        throw new InvalidDataException($"{LlamaOptions.Section}:Path: the tokenizer has {vocabularySize} tokens, more than the {model.VocabularySize} of {Path.Combine(o.Path!, LlamaConfig.FileName)} (vocab_size).");
    }

    // The CPU computes in float32: its half-precision kernels are slow or missing.
    internal static ScalarType DTypeOn(Device device, string dtype) => device.type == DeviceType.CPU ? float32 : dtype switch
    {
        "bfloat16" => bfloat16,
        "float16" => float16,
        _ => float32,
    };
}
