using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Plugins;
using Rlvr.Models;
using Rlvr.Host.Tests.Reports;
using Rlvr.Tasks;

namespace Rlvr.Host.Tests.Evaluation;

/// <summary>Evaluation keeps a bounded sample of wrong completions per problem, with their verdicts; old evaluation.json files still load.</summary>
public sealed class WrongCompletionsTests
{
    // Right when the completion starts with 'a'; each character is a step, right when it is 'a'.
    private sealed class StartsWithA : IVerifier
    {
        public Verification Verify(Problem problem, string completion) =>
            new(completion.StartsWith('a'), [.. completion.Select((c, i) => new StepVerdict(i, 1, c == 'a' ? 1 : 0))], completion.Length > 0 ? completion[..1] : null);
    }

    private static EvaluationResult Evaluate(int samples, int maxNewTokens = 3)
    {
        const string alphabet = "abc";
        var problems = Enumerable.Range(0, 3).Select(i => new Problem($"p{i}", $"{alphabet[i]}", "a", "a", 2)).ToList();
        var options = new EvaluationOptions { Samples = samples, MaxNewTokens = maxNewTokens, BootstrapResamples = 100 };
        var tokenizer = new CharTokenizer(alphabet);
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings
        {
            Overrides = ["--Models:Transformer:Layers=1", "--Models:Transformer:Width=16", "--Models:Transformer:Heads=2", "--Models:Transformer:ContextLength=16"],
        });
        using var host = builder.Build();
        // An untrained model: close to uniform over the characters, so there are wrong completions of every kind.
        using var model = host.Services.GetRequiredService<ComponentCatalog>().Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, TorchSharp.torch.CPU, seed: 1);
        return new Evaluator(options, NullLogger.Instance).Evaluate(model, tokenizer, new StartsWithA(), problems, seed: 7);
    }

    [Fact]
    public void EachProblemKeepsAtMostAFewDistinctWrongCompletionsWithTheirAnswersStepsAndCounts()
    {
        var result = Evaluate(samples: 64);

        foreach (var problem in result.PerProblem)
        {
            var wrong = problem.WrongCompletions!;
            Assert.InRange(wrong.Count, 1, Evaluator.WrongCompletionsKept);                 // 64 uniform samples: many distinct wrong ones
            Assert.Equal(wrong.Count, wrong.Select(w => w.Text).Distinct().Count());
            Assert.All(wrong, w => Assert.False(w.Text.StartsWith('a')));
            Assert.All(wrong, w => Assert.Equal(w.Text.Length > 0 ? w.Text[..1] : "", w.Answer));
            Assert.All(wrong, w => Assert.Equal(w.Text.Select(c => c == 'a'), w.Steps.Select(s => s.Correct)));
            Assert.InRange(wrong.Sum(w => w.Count), wrong.Count, problem.Samples - problem.Correct);
        }
        Assert.Contains(result.PerProblem, p => p.WrongCompletions!.Count == Evaluator.WrongCompletionsKept);
    }

    [Fact]
    public void TheKeptCountIsHowOftenTheTextWasSampled()
    {
        // One new token: the wrong texts are "", "b" and "c", all kept, and each one's answer is itself, so the
        // evaluation's own answer counts say how often each was sampled.
        var result = Evaluate(samples: 64, maxNewTokens: 1);

        foreach (var problem in result.PerProblem)
        {
            Assert.Equal(problem.Samples - problem.Correct, problem.WrongCompletions!.Sum(w => w.Count));
            Assert.All(problem.WrongCompletions!, w => Assert.Equal(problem.AnswerCounts![w.Answer], w.Count));
        }
    }

    [Fact]
    public void AnEvaluationJsonWithoutWrongCompletionsStillLoads()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(Evaluate(samples: 8)))!.AsObject();
        foreach (var problem in json["PerProblem"]!.AsArray()) problem!.AsObject().Remove("WrongCompletions");

        var loaded = JsonSerializer.Deserialize<EvaluationResult>(json.ToJsonString())!;

        Assert.All(loaded.PerProblem, p => Assert.Null(p.WrongCompletions));
        Assert.Equal(3, loaded.PerProblem.Count);
    }
}
