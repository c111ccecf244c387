using Microsoft.Extensions.Logging;
using Rlvr.Models;
using Rlvr.Tokenizers;
using TorchSharp;

namespace Rlvr.Training;

/// <summary>What an algorithm trains, and the host services it trains with.</summary>
/// <param name="Policy">The model being trained.</param>
/// <param name="Tokenizer">The policy's tokenizer.</param>
/// <param name="Rollouts">Samples and scores completions with the policy.</param>
/// <param name="Device">The device of the policy.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Logger">The run's logger.</param>
public sealed record TrainingContext(
    ICausalLanguageModel Policy,
    ITokenizer Tokenizer,
    IRolloutEngine Rollouts,
    torch.Device Device,
    long Seed,
    ILogger Logger);
