// Checks that need the selected components themselves, not only their options, so that `rlvr validate` catches
// what a run would otherwise refuse after pretraining: the task's problems must fit the model's context, and an
// arm's training band must lie within the task's difficulties.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rlvr.Host.Data;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Plugins;
using Rlvr.Host.Training;
using Rlvr.Models;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Training;
using TorchSharp;

namespace Rlvr.Host.Configuration;

/// <summary>Validates how a run's components fit together; call it only on a configuration that <see cref="ConfigurationValidator"/> accepts.</summary>
public sealed class TaskFitValidator(ComponentCatalog catalog, IOptions<ComponentSelection> selection, IOptions<TrainOptions> train,
    IOptions<RolloutOptions> rollout, IOptions<EvaluationOptions> evaluation, ILogger<TaskFitValidator> logger)
{
    // How many problems of the hardest level are drawn, beside the held-out ones, to find the longest.
    private const int HardestDraws = 500;

    /// <summary>
    /// Every problem, prompt and full worked solution, must fit the model's context, or training would silently
    /// truncate: the held-out problems of each of <paramref name="seeds"/> and a sample of the hardest level.
    /// </summary>
    /// <returns>The error naming the model's ContextLength key, or null when every problem fits (or no model, tokenizer or task is selected).</returns>
    public string? ContextError(IReadOnlyList<int> seeds)
    {
        var components = selection.Value;
        if (components.Model is null || components.Tokenizer is null || components.Task is null) return null;
        var task = catalog.Get<IProblemGenerator>(components.Task);
        var tokenizer = catalog.Get<ITokenizerFactory>(components.Tokenizer).Create(task.Alphabet);
        int context = ContextLength(tokenizer, seeds[0]);

        Problem longest;
        try
        {
            longest = seeds.SelectMany(seed => Candidates(task, seed)).MaxBy(p => p.Prompt.Length + p.Solution.Length)!;
        }
        catch (InvalidOperationException e)   // the task has fewer distinct problems than the held-out set asks for
        {
            return $"{EvaluationOptions.Section}:{nameof(EvaluationOptions.Problems)} = {evaluation.Value.Problems}: {e.Message}";
        }
        int needed = TokenBatch.Sequence(tokenizer, longest.Prompt + longest.Solution).Length;
        if (needed <= context)
        {
            logger.LogInformation("Longest problem: {Tokens} of {Context} context tokens", needed, context);
            return null;
        }
        string section = catalog.Components.First(c => c.Kind == ComponentKind.ModelArchitecture && c.Name == components.Model).ConfigSection ?? ComponentSelection.Section + ":Model";
        return $"{section}:ContextLength: the model's context of {context} tokens is shorter than the longest problem, which needs {needed} " +
               $"(difficulty {longest.Difficulty}); raise the context length or lower the task's maximum difficulty";
    }

    // The seed's held-out problems, and the hardest level drawn as the run's seed would draw it.
    private IEnumerable<Problem> Candidates(IProblemGenerator task, int seed)
    {
        var random = new Random(seed);
        var hardest = Enumerable.Range(0, HardestDraws).Select(_ => task.Generate(task.Difficulties.Max, random)).ToList();
        return [.. ProblemSets.HeldOut(task, task.Difficulties, evaluation.Value.Problems, seed), .. hardest];
    }

    // The model's context, read from a model made on the CPU and dropped: architectures say it only once made.
    private int ContextLength(ITokenizer tokenizer, int seed)
    {
        using var scope = torch.NewDisposeScope();
        using var model = catalog.Get<IModelArchitecture>(selection.Value.Model!).Create(tokenizer.VocabularySize, torch.CPU, seed);
        return model.ContextLength;
    }

    /// <summary>
    /// An arm's <c>Rollout:MaxNewTokens</c>, when set, must fit what the context leaves after the longest prompt of its
    /// training band, for each of <paramref name="seeds"/>; without it the budget is what is left, which the context check ensures.
    /// </summary>
    public IReadOnlyList<string> RolloutErrors(IReadOnlyList<int> seeds)
    {
        var components = selection.Value;
        if (rollout.Value.MaxNewTokens == 0 || components.Model is null || components.Tokenizer is null || components.Task is null) return [];
        var task = catalog.Get<IProblemGenerator>(components.Task);
        var tokenizer = catalog.Get<ITokenizerFactory>(components.Tokenizer).Create(task.Alphabet);
        var band = components.Curriculum is null ? train.Value.Band(task.Difficulties) : task.Difficulties;
        int context = ContextLength(tokenizer, seeds[0]);
        return [.. seeds.Select(seed => rollout.Value.Budget(context, RolloutOptions.LongestPrompt(tokenizer, task, band, ProblemSets.HeldOut(task, task.Difficulties, evaluation.Value.Problems, seed), seed)).Error)
            .OfType<string>().Distinct()];
    }

    /// <summary>An arm without a curriculum trains on <c>Train:MinDifficulty..MaxDifficulty</c>, which must lie within the task's difficulties.</summary>
    public IReadOnlyList<string> BandErrors()
    {
        var components = selection.Value;
        if (components.Curriculum is not null || components.Task is null) return [];
        return train.Value.BandErrors(catalog.Get<IProblemGenerator>(components.Task).Difficulties);
    }
}
