// One run of the pipeline, top to bottom: resolve components, build the tokenizer from the task's alphabet, draw
// the held-out set, pretrain from scratch, evaluate pass@k. Every file goes into the run folder.
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Host.Configuration;
using Rlvr.Host.Data;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Metrics;
using Rlvr.Host.Plugins;
using Rlvr.Host.Pretraining;
using Rlvr.Metrics;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using TorchSharp;

namespace Rlvr.Host.Runs;

/// <summary>What a pipeline run produced.</summary>
public sealed record PipelineResult(string RunFolder, PretrainSummary Pretraining, EvaluationResult Evaluation);

/// <summary>Runs pretraining then evaluation for the configured components, on the calling thread.</summary>
public sealed class PipelineRunner(
    ComponentCatalog catalog,
    IOptions<ComponentSelection> selection,
    IOptions<RunOptions> run,
    IOptions<PretrainOptions> pretrain,
    IOptions<EvaluationOptions> evaluation,
    IConfiguration configuration,
    ILogger<PipelineRunner> logger)
{
    public PipelineResult Run()
    {
        var components = selection.Value;
        RequireSelected(components);
        string folder = RunPaths.RunFolder(configuration);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), ConfigurationJson.Serialize(configuration));

        var device = ResolveDevice(run.Value.Device);
        torch.set_num_threads(run.Value.Threads > 0 ? run.Value.Threads : Environment.ProcessorCount);
        torch.manual_seed(run.Value.Seed);
        int seed = run.Value.Seed;
        logger.LogInformation("Run {Folder} on {Device} with {Threads} threads, seed {Seed}", folder, device.type, torch.get_num_threads(), seed);

        var task = catalog.Get<IProblemGenerator>(components.Task!);
        var verifier = catalog.Get<IVerifier>(components.Verifier!);
        var tokenizer = catalog.Get<ITokenizerFactory>(components.Tokenizer!).Create(task.Alphabet);
        AtomicFile.Write(Path.Combine(folder, "tokenizer.json"), tokenizer.Save);

        var heldOut = ProblemSets.HeldOut(task, task.Difficulties, evaluation.Value.Problems, seed);
        var training = ProblemSets.Training(task, heldOut);
        using var model = catalog.Get<IModelArchitecture>(components.Model!).Create(tokenizer.VocabularySize, device, seed);
        RequireContextFits(model, tokenizer, task, heldOut, seed);

        using var metrics = new JsonlMetricsSink(Path.Combine(folder, "metrics.jsonl"));
        var sinks = new List<IMetricsSink> { metrics };
        sinks.AddRange(components.MetricsSinks.Select(catalog.Get<IMetricsSink>));

        var pretrained = new Pretrainer(pretrain.Value, logger, sinks).Train(model, tokenizer, task, training, new Random(seed));
        AtomicFile.Write(Path.Combine(folder, "model.bin"), path => model.Module.save(path));
        logger.LogInformation("Pretrained {Steps} steps, {Tokens:N0} tokens in {Elapsed:F0} s ({Rate:N0} tok/s); loss {First:F3} -> {Final:F3}",
            pretrained.Steps, pretrained.Tokens, pretrained.Elapsed.TotalSeconds, pretrained.TokensPerSecond, pretrained.FirstLoss, pretrained.FinalLoss);

        var evaluated = new Evaluator(evaluation.Value, logger).Evaluate(model, tokenizer, verifier, heldOut, seed);
        AtomicFile.WriteAllText(Path.Combine(folder, "evaluation.json"), JsonSerializer.Serialize(evaluated, new JsonSerializerOptions { WriteIndented = true }));
        foreach (var sink in sinks)
            sink.Emit(new MetricsRecord("eval", 1, new Dictionary<string, double>
            {
                ["pass@1"] = evaluated.PassAtK[0].Answer.Mean, [$"pass@{evaluated.Samples}"] = evaluated.PassAtK[^1].Answer.Mean,
                ["coverage"] = evaluated.Coverage, ["step_verified_accuracy"] = evaluated.StepVerifiedAccuracy, ["samples_per_s"] = evaluated.SamplesPerSecond,
            }, DateTimeOffset.UtcNow));
        return new PipelineResult(folder, pretrained, evaluated);
    }

    private static void RequireSelected(ComponentSelection components)
    {
        var missing = new[] { (nameof(components.Model), components.Model), (nameof(components.Tokenizer), components.Tokenizer),
                              (nameof(components.Task), components.Task), (nameof(components.Verifier), components.Verifier) }
            .Where(c => string.IsNullOrEmpty(c.Item2)).Select(c => $"{ComponentSelection.Section}:{c.Item1}: required to run; name a component (see `rlvr plugins`)").ToList();
        if (missing.Count > 0) throw new ConfigurationErrorsException(missing);
    }

    // Every problem, prompt and full worked solution, must fit the context, or training would silently truncate.
    private void RequireContextFits(ICausalLanguageModel model, ITokenizer tokenizer, IProblemGenerator task, IReadOnlyList<Problem> heldOut, int seed)
    {
        var random = new Random(seed);
        var hardest = Enumerable.Range(0, 500).Select(_ => task.Generate(task.Difficulties.Max, random));
        var longest = heldOut.Concat(hardest).MaxBy(p => p.Prompt.Length + p.Solution.Length)!;
        int needed = TokenBatch.Sequence(tokenizer, longest.Prompt + longest.Solution).Length;
        if (needed > model.ContextLength)
            throw new ConfigurationErrorsException(
                $"{catalog.Components.First(c => c.Kind == ComponentKind.ModelArchitecture && c.Name == selection.Value.Model).ConfigSection}:ContextLength: " +
                $"the model's context of {model.ContextLength} tokens is shorter than the longest problem, which needs {needed} " +
                $"(difficulty {longest.Difficulty}); raise the context length or lower the task's maximum difficulty.");
        logger.LogInformation("Longest problem: {Tokens} of {Context} context tokens", needed, model.ContextLength);
    }

    private static torch.Device ResolveDevice(string device) => device switch
    {
        "cpu" => torch.CPU,
        "cuda" => torch.cuda.is_available() ? torch.CUDA : throw new ConfigurationErrorsException("Run:Device = 'cuda': CUDA is not available; build with -p:TorchBackend=cuda-linux and run on a GPU machine, or use 'auto'."),
        _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
    };
}
