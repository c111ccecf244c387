using Microsoft.Extensions.Logging;
using Rlvr.Models;
using Rlvr.Tokenizers;
using Rlvr.Tools;
using TorchSharp;

namespace Rlvr.Training;

/// <summary>What an algorithm trains, and the host services it trains with.</summary>
/// <param name="Policy">The model being trained; the host saves and evaluates it.</param>
/// <param name="Architecture">The policy's architecture, to build a frozen reference or a separate critic of the same shape.</param>
/// <param name="Tokenizer">The policy's tokenizer.</param>
/// <param name="Problems">The training problems, in the curriculum's order.</param>
/// <param name="Rollouts">Samples and scores completions with the policy.</param>
/// <param name="TotalSteps">How many times the host will call <see cref="ITrainingSession.Step"/>, for schedules.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Logger">The run's logger.</param>
public sealed record TrainingContext(
    ICausalLanguageModel Policy,
    IModelArchitecture Architecture,
    ITokenizer Tokenizer,
    ITrainingProblems Problems,
    IRolloutEngine Rollouts,
    int TotalSteps,
    long Seed,
    ILogger Logger)
{
    /// <summary>The device of the policy.</summary>
    public torch.Device Device => Policy.Device;

    /// <summary>The tool the model calls in its text (<c>Components:Tool</c>), or null: a teacher-forced trace's tool
    /// outputs are context, not targets (<c>Rlvr.Training.ToolTrace</c> finds them).</summary>
    public ITool? Tool { get; init; }
}
