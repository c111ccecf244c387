// The rollout engine algorithms call: sample G completions per problem with the batched sampler (the prompt is
// encoded once per group), score every completion, place step rewards on tokens, and tell the curriculum. Tokens a
// tool wrote are in the sequence but out of the completion mask: no log-probability, loss or KL is taken on them.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Rlvr.Curricula;
using Rlvr.Host.Scoring;
using Rlvr.Models;
using Rlvr.Rewards;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Host.Training;

/// <summary>Samples and scores completions with the current policy.</summary>
public sealed class RolloutEngine(ICausalLanguageModel policy, ITokenizer tokenizer, Scorer scorer, IReadOnlyList<string> rewardNames,
    BatchedSampler sampler, ICurriculum? curriculum, ToolLoop? tools = null) : IRolloutEngine, ICheckpointable
{
    public int MaxNewTokens => sampler.Options.MaxNewTokens;

    public double Temperature => sampler.Options.Temperature;

    public RolloutBatch Generate(IReadOnlyList<Problem> problems, int groupSize)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var clock = Stopwatch.StartNew();
        var prompts = problems.Select(p => (int[])[tokenizer.Bos, .. tokenizer.Encode(p.Prompt)]).ToArray();
        // A prompt longer than the arm's estimate (drawn from samples) shortens this batch's budget, never the context.
        int budget = Math.Min(MaxNewTokens, policy.ContextLength - prompts.Max(p => p.Length));
        var samples = sampler.Sample(policy, prompts, groupSize, tokenizer.Eos, tokenizer.Pad, maxNewTokens: budget, tools: tools);
        double samplingSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        int B = samples.Count, T = samples.Max(s => prompts[s.Prompt].Length + s.Tokens.Length);
        var tokens = new long[B * T];
        var mask = new float[B * T];
        var logProbs = new float[B * T];
        Array.Fill(tokens, tokenizer.Pad);
        var completions = new string[B];
        var verifications = new Verification[B];
        var rewards = new RewardScore[B];
        var byFunction = rewardNames.ToDictionary(n => n, _ => new double[B]);
        var stepRewards = new IReadOnlyList<TokenReward>[B];
        for (int i = 0; i < B; i++)
        {
            var sample = samples[i];
            var (prompt, completion) = (prompts[sample.Prompt], sample.Tokens);
            for (int t = 0; t < prompt.Length; t++) tokens[i * T + t] = prompt[t];
            for (int t = 0; t < completion.Length; t++)
            {
                int column = prompt.Length + t;
                tokens[i * T + column] = completion[t];
                if (sample.IsToolWritten(t)) continue;
                mask[i * T + column] = 1f;
                logProbs[i * T + column] = sample.LogProbs[t];
            }
            var text = tokenizer.Decode(completion.AsSpan(0, sample.TextLength));   // without the end token
            var score = scorer.Score(problems[sample.Prompt], text, malformed: sample.ToolError is not null);
            (completions[i], verifications[i], rewards[i]) = (text, score.Verification, score.Combined);
            for (int f = 0; f < rewardNames.Count; f++) byFunction[rewardNames[f]][i] = score.ByFunction[f];
            stepRewards[i] = PlaceSteps(score.Combined.Steps, completion, prompt.Length);
        }
        if (curriculum is not null)
            for (int p = 0; p < problems.Count; p++)
                curriculum.Observe(problems[p], Enumerable.Range(p * groupSize, groupSize).Average(i => rewards[i].Value));

        return new RolloutBatch(problems, groupSize,
            tensor(tokens, [B, T], device: policy.Device), tensor(mask, [B, T], device: policy.Device), tensor(logProbs, [B, T], device: policy.Device),
            completions, verifications, rewards, byFunction.ToDictionary(p => p.Key, p => (IReadOnlyList<double>)p.Value), stepRewards, samples.Select(s => s.Truncated).ToArray())
        {
            SamplingSeconds = samplingSeconds,
            ScoringSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    // A step ending at character End (exclusive) is rewarded on the token that holds character End − 1: the first
    // completion token whose decoded prefix reaches End characters. Works for any tokenizer, one character or many per token.
    private IReadOnlyList<TokenReward> PlaceSteps(IReadOnlyList<StepReward>? steps, int[] completion, int promptLength)
    {
        if (steps is null || steps.Count == 0 || completion.Length == 0) return [];
        var reach = new int[completion.Length];
        for (int t = 0; t < completion.Length; t++) reach[t] = tokenizer.Decode(completion.AsSpan(0, t + 1)).Length;
        return steps.Select(step =>
        {
            int t = Array.FindIndex(reach, r => r >= step.End);
            return new TokenReward(promptLength + (t < 0 ? completion.Length - 1 : t), step.Value);
        }).ToArray();
    }

    public string CheckpointKey => "rollouts";

    public JsonNode SaveState() => new JsonObject { ["sampler_calls"] = sampler.Calls };

    public void LoadState(JsonNode state) => sampler.Calls = state["sampler_calls"]!.GetValue<long>();
}
