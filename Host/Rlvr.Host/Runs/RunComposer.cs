// One recipe for the components of a run, used by the base, every arm and the report's model loader alike: the
// task, the tokenizer built from the task's alphabet, the verifier, the model architecture and the device a model
// lives on. A model is the architecture's fresh one of the tokenizer's vocabulary, or that loaded with saved weights.
using Microsoft.Extensions.Options;
using Rlvr.Host.Configuration;
using Rlvr.Host.Plugins;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Sampling;
using Rlvr.Tokenizers;
using Rlvr.Tools;
using TorchSharp;

namespace Rlvr.Host.Runs;

/// <summary>The components a run is made of, each resolved once.</summary>
/// <param name="Tool">The tool the model may call while it writes (<c>Components:Tool</c>); null when none.</param>
public sealed record RunComponents(IProblemGenerator Task, ITokenizer Tokenizer, IVerifier Verifier, IModelArchitecture Architecture, torch.Device Device,
    ITool? Tool = null)
{
    /// <summary>The tool in the sampling loop, in this run's token ids; null when the run has no tool.</summary>
    public ToolLoop? Tools { get; } = Tool is null ? null : new ToolLoop(Tool, Tokenizer);

    /// <summary>A fresh model, initialised from <paramref name="seed"/>.</summary>
    public ICausalLanguageModel NewModel(int seed) => Architecture.Create(Tokenizer.VocabularySize, Device, seed);

    /// <summary>A model with the weights of <paramref name="path"/> (a <c>model.bin</c>).</summary>
    /// <param name="seed">Seeds the fresh model the weights are loaded into.</param>
    public ICausalLanguageModel LoadModel(string path, int seed)
    {
        var model = NewModel(seed);
        try
        {
            model.Module.load(path);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}

/// <summary>Resolves a run's <see cref="RunComponents"/> from its <c>Components</c> and <c>Run:Device</c>.</summary>
public sealed class RunComposer(ComponentCatalog catalog, IOptions<ComponentSelection> selection, IOptions<RunOptions> run)
{
    /// <param name="device"><c>auto</c>, <c>cpu</c> or <c>cuda</c>; null: <c>Run:Device</c>.</param>
    /// <exception cref="ConfigurationErrorsException">A required component is not selected or not registered, or CUDA is asked for and absent.</exception>
    public RunComponents Compose(string? device = null)
    {
        var components = selection.Value;
        RequireSelected(components);
        var task = catalog.Get<IProblemGenerator>(components.Task!);
        return new RunComponents(task, catalog.Get<ITokenizerFactory>(components.Tokenizer!).Create(task.Alphabet), catalog.Get<IVerifier>(components.Verifier!),
            catalog.Get<IModelArchitecture>(components.Model!), ResolveDevice(device ?? run.Value.Device),
            components.Tool is { } tool ? catalog.Get<ITool>(tool) : null);
    }

    private static void RequireSelected(ComponentSelection components)
    {
        var missing = new[] { (nameof(components.Model), components.Model), (nameof(components.Tokenizer), components.Tokenizer),
                              (nameof(components.Task), components.Task), (nameof(components.Verifier), components.Verifier) }
            .Where(c => string.IsNullOrEmpty(c.Item2)).Select(c => $"{ComponentSelection.Section}:{c.Item1}: required to run; name a component (see `rlvr plugins`)").ToList();
        if (missing.Count > 0) throw new ConfigurationErrorsException(missing);
    }

    private static torch.Device ResolveDevice(string device) => device switch
    {
        "cpu" => torch.CPU,
        "cuda" => torch.cuda.is_available() ? torch.CUDA : throw new ConfigurationErrorsException("Run:Device = 'cuda': CUDA is not available; build with -p:TorchBackend=cuda-linux and run on a GPU machine, or use 'auto'."),
        _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
    };
}
