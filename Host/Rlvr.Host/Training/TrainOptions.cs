// Options of the training stage of an arm, bound from "Train" (and overridden per arm under "Arms:<arm>:Train").
using System.ComponentModel.DataAnnotations;
using Rlvr.Tasks;
using Rlvr.Tokenizers;

namespace Rlvr.Host.Training;

/// <summary>How long an arm trains, on which problems, from which start, and how often it checkpoints.</summary>
public sealed class TrainOptions
{
    public const string Section = "Train";

    [Range(0, 1_000_000)] public int Steps { get; set; } = 100;             // calls of the algorithm's Step
    [Range(0, 100)] public int MinDifficulty { get; set; }                  // training band; 0: the task's own minimum
    [Range(0, 100)] public int MaxDifficulty { get; set; }                  // 0: the task's own maximum
    [Required] public string From { get; set; } = "base";                   // the model this arm starts from: "base" or an earlier arm
    [Range(1, 1_000_000)] public int LogEvery { get; set; } = 10;           // steps between log lines (every step goes to metrics.jsonl)
    [Range(0, 1_000_000)] public int CheckpointEvery { get; set; } = 50;    // steps between checkpoints; 0: only at the end

    /// <summary>The value of <see cref="Control"/> that makes the arm a no-learning control.</summary>
    public const string ZeroReward = "zero-reward";

    // "zero-reward": a no-learning control. The arm runs its whole pipeline (sampling, scoring, updates, evaluation) with
    // every reward scored 0, so whatever it moves comes from all but the reward signal.
    [AllowedValues("none", ZeroReward)] public string Control { get; set; } = "none";

    /// <summary>The band an arm without a curriculum trains on: <see cref="MinDifficulty"/>..<see cref="MaxDifficulty"/>, 0 meaning the task's own bound.</summary>
    public DifficultyRange Band(DifficultyRange task) =>
        new(MinDifficulty > 0 ? MinDifficulty : task.Min, MaxDifficulty > 0 ? MaxDifficulty : task.Max);

    /// <summary>Why <see cref="Band"/> is no band within <paramref name="task"/>'s difficulties, each naming its key; empty when it is.</summary>
    public IReadOnlyList<string> BandErrors(DifficultyRange task)
    {
        var band = Band(task);
        var errors = new List<string>();
        if (MinDifficulty > 0 && !task.Contains(MinDifficulty))
            errors.Add($"{Section}:{nameof(MinDifficulty)} = {MinDifficulty}: outside the task's difficulties {task}; widen the task's range to train beyond it");
        if (MaxDifficulty > 0 && !task.Contains(MaxDifficulty))
            errors.Add($"{Section}:{nameof(MaxDifficulty)} = {MaxDifficulty}: outside the task's difficulties {task}; widen the task's range to train beyond it");
        if (errors.Count == 0 && band.Min > band.Max)
            errors.Add($"{Section}:{nameof(MinDifficulty)}/{nameof(MaxDifficulty)} = {band}: the band is empty");
        return errors;
    }
}

/// <summary>How training completions are sampled, and how the reward functions are weighted.</summary>
public sealed class RolloutOptions
{
    public const string Section = "Rollout";

    [Range(0.0, 100.0)] public double Temperature { get; set; } = 1.0;
    [Range(0.0, 1.0, MinimumIsExclusive = true)] public double TopP { get; set; } = 1.0;
    [Range(0, 8192)] public int MaxNewTokens { get; set; }                  // 0: what the context leaves after the task's longest prompt
    public Dictionary<string, double> RewardWeights { get; set; } = [];     // by reward component name; a missing one weighs 1

    // Prompts of the band's hardest level drawn, beside the held-out ones, to find the longest.
    private const int HardestPromptDraws = 200;

    /// <summary>The longest training prompt in tokens, BOS included: among <paramref name="heldOut"/> and a sample of <paramref name="band"/>'s hardest level.</summary>
    public static int LongestPrompt(ITokenizer tokenizer, IProblemGenerator task, DifficultyRange band, IEnumerable<Problem> heldOut, int seed)
    {
        var random = new Random(seed);
        return heldOut.Concat(Enumerable.Range(0, HardestPromptDraws).Select(_ => task.Generate(band.Max, random)))
            .Max(p => tokenizer.Encode(p.Prompt).Length + 1);
    }

    /// <summary>
    /// The new tokens a training completion may take: <see cref="MaxNewTokens"/>, or without one whatever a
    /// <paramref name="context"/> leaves after the longest prompt; with the error naming the key when that does not fit.
    /// </summary>
    public (int Budget, string? Error) Budget(int context, int longestPrompt)
    {
        int room = context - longestPrompt;
        int wanted = MaxNewTokens > 0 ? MaxNewTokens : room;
        return wanted > room || wanted < 1
            ? (wanted, $"{Section}:{nameof(MaxNewTokens)} = {wanted}: the longest prompt takes {longestPrompt} of the model's {context} positions, leaving {room}")
            : (wanted, null);
    }
}
