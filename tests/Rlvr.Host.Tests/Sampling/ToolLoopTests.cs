using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Plugins;
using Rlvr.Host.Scoring;
using Rlvr.Host.Tests.Reports;
using Rlvr.Host.Training;
using Rlvr.Models;
using Rlvr.Rewards;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tools;
using Rlvr.Training;

namespace Rlvr.Host.Tests.Sampling;

/// <summary>
/// A tool in the sampling loop: the rows that call it are fed its output, which is marked and kept out of the loss;
/// a failed call ends the row as malformed. Worked on an untrained model, whose rows call the tool at random.
/// </summary>
public sealed class ToolLoopTests
{
    private const string Alphabet = "abc";
    private static readonly CharTokenizer Tokenizer = new(Alphabet);

    // After an 'a' the tool writes "bb", unless the row wrote a 'c' before: then the call is malformed.
    private sealed class WritesBb : ITool
    {
        public string CallEnd => "a";

        public ToolReply? Reply(string text) => text.Contains('c') ? ToolReply.Malformed("a 'c' before the call") : ToolReply.Of("bb");
    }

    // Every answer is right, so only a failed tool call can make a row wrong.
    private sealed class AlwaysRight : IVerifier
    {
        public Verification Verify(Problem problem, string completion) => new(true, [], completion);
    }

    private static ICausalLanguageModel Model()
    {
        using var host = RlvrHostBuilder.Create(new RlvrHostSettings
        {
            Overrides = ["--Models:Transformer:Layers=1", "--Models:Transformer:Width=16", "--Models:Transformer:Heads=2", "--Models:Transformer:ContextLength=24"],
        }).Build();
        return host.Services.GetRequiredService<ComponentCatalog>().Get<IModelArchitecture>("transformer").Create(Tokenizer.VocabularySize, TorchSharp.torch.CPU, seed: 1);
    }

    private static readonly int[][] Prompts = [[Tokenizer.Bos, 0], [Tokenizer.Bos, 1, 2], [Tokenizer.Bos]];

    private static IReadOnlyList<SampledCompletion> Sample(ICausalLanguageModel model, bool recompute) =>
        new BatchedSampler(new SamplingOptions { Temperature = 1, TopP = 1, MaxNewTokens = 12, Seed = 5, Recompute = recompute })
            .Sample(model, Prompts, groupSize: 16, Tokenizer.Eos, Tokenizer.Pad, tools: new ToolLoop(new WritesBb(), Tokenizer));

    // Replays the tool's rule over a row's tokens: which ones the tool wrote, and whether a call failed.
    private static (bool[] Written, bool Failed) Replay(int[] tokens)
    {
        var written = new bool[tokens.Length];
        bool sawC = false;
        for (int t = 0; t < tokens.Length; t++)
        {
            if (tokens[t] == 2) sawC = true;
            if (tokens[t] != 0) continue;
            if (sawC) return (written, t == tokens.Length - 1 ? true : throw new Xunit.Sdk.XunitException($"tokens after a failed call at {t}"));
            for (int k = 1; k <= 2 && t + k < tokens.Length; k++) written[t + k] = true;
            t += 2;
        }
        return (written, false);
    }

    [Fact]
    public void RowsThatCallTheToolAreFedItsOutputMarkedAsToolWrittenAndAFailedCallEndsTheRow()
    {
        using var model = Model();
        var samples = Sample(model, recompute: false);

        foreach (var sample in samples)
        {
            var (written, failed) = Replay(sample.Tokens);
            Assert.Equal(written, sample.ToolWritten);
            Assert.Equal(failed, sample.ToolError is not null);
            Assert.All(Enumerable.Range(0, sample.Tokens.Length).Where(t => written[t]), t => Assert.Equal((1, 0f), (sample.Tokens[t], sample.LogProbs[t])));
            if (failed) Assert.Equal((false, sample.Tokens.Length), (sample.Truncated, sample.TextLength));
        }
        Assert.Contains(samples, s => s.ToolWritten!.Any(w => w));        // the untrained model calls the tool...
        Assert.Contains(samples, s => s.ToolError is not null);           // ...and sometimes fails
        Assert.Contains(samples, s => !s.Truncated && s.ToolError is null && s.Tokens[^1] == Tokenizer.Eos);
    }

    [Fact]
    public void TheCachedSamplerFeedsTheToolsOutputAsTheCacheFreeReferenceDoes()
    {
        using var model = Model();
        var cached = Sample(model, recompute: false);
        var reference = Sample(model, recompute: true);

        Assert.Equal(reference.Select(s => string.Join(",", s.Tokens)), cached.Select(s => string.Join(",", s.Tokens)));
        Assert.Equal(reference.Select(s => s.ToolError), cached.Select(s => s.ToolError));
        for (int i = 0; i < cached.Count; i++)
            Assert.Equal(reference[i].LogProbs, cached[i].LogProbs, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void RolloutsKeepToolTokensOutOfTheCompletionMaskAndScoreAFailedCallAsMalformed()
    {
        using var model = Model();
        var tools = new ToolLoop(new WritesBb(), Tokenizer);
        var scorer = new Scorer(new AlwaysRight(), [new WeightedReward("terminal", new Terminal(), 1)], NullLogger.Instance);
        var sampler = new BatchedSampler(new SamplingOptions { Temperature = 1, TopP = 1, MaxNewTokens = 12, Seed = 5 });
        var engine = new RolloutEngine(model, Tokenizer, scorer, ["terminal"], sampler, curriculum: null, tools);
        var problems = new[] { new Problem("p0", "a", "", "", 1), new Problem("p1", "bc", "", "", 1) };

        var batch = engine.Generate(problems, groupSize: 16);

        var mask = batch.CompletionMask.data<float>().ToArray();
        var logProbs = batch.SampleLogProbs.data<float>().ToArray();
        var tokens = batch.Tokens.data<long>().ToArray();
        int T = (int)batch.Tokens.shape[1], toolTokens = 0;
        for (int i = 0; i < batch.Completions.Count; i++)
        {
            int promptLength = 1 + problems[i / 16].Prompt.Length;
            int end = Enumerable.Range(promptLength, T - promptLength).LastOrDefault(t => tokens[i * T + t] != Tokenizer.Pad, promptLength - 1) + 1;
            var (written, failed) = Replay([.. tokens.Skip(i * T + promptLength).Take(end - promptLength).Select(t => (int)t)]);
            for (int t = promptLength; t < end; t++)
            {
                Assert.Equal(written[t - promptLength] ? 0f : 1f, mask[i * T + t]);
                if (written[t - promptLength]) { Assert.Equal(0f, logProbs[i * T + t]); toolTokens++; }
            }
            Assert.Equal(!failed, batch.Verifications[i].AnswerCorrect);
            Assert.Equal(failed ? 0.0 : 1.0, batch.Rewards[i].Value);
        }
        Assert.True(toolTokens > 0, "no row called the tool");
        Assert.Contains(batch.Verifications, v => !v.AnswerCorrect);
    }

    // The outcome reward: 1 for a right answer.
    private sealed class Terminal : IReward
    {
        public RewardScore Score(Problem problem, string completion, Verification verification) => new(verification.Score);
    }

    [Fact]
    public void AWrittenTracesToolOutputsAreFoundByAskingTheToolAgainAndEncodedAsContext()
    {
        var tool = new WritesBb();

        Assert.Equal(new Range[] { 1..3, 4..6 }, ToolTrace.Outputs(tool, "abbabb"));
        Assert.Equal(new Range[] { 1..3 }, ToolTrace.Outputs(tool, "abbab"));     // the second output was not written as the tool would
        Assert.Empty(ToolTrace.Outputs(tool, "cabb"));                            // a malformed call has no output

        var (ids, written) = ToolTrace.Encode(Tokenizer, tool, "abbcab");
        Assert.Equal([0, 1, 1, 2, 0, 1], ids);
        Assert.Equal([false, true, true, false, false, false], written);          // after the 'c' the call fails: no output
        var (plain, none) = ToolTrace.Encode(Tokenizer, tool: null, "abb");
        Assert.Equal(Tokenizer.Encode("abb"), plain);
        Assert.Equal(new bool[3], none);
    }
}
