// "sft" on a tiny transformer: it learns worked solutions, supervises completion tokens only, and never samples.
using System.Diagnostics;
using Rlvr.FineTuning;
using Rlvr.Plugins.FineTuning.Tests.Support;
using Rlvr.Tasks;
using Rlvr.Tools;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Rlvr.Plugins.FineTuning.Tests;

public class SftTests(ITestOutputHelper output)
{
    [Fact]
    public void SftLowersHeldOutCompletionLoss()
    {
        using var policy = TinyWorld.Policy(seed: 1);
        var heldOut = TinyWorld.Problems(64, seed: 1000);                              // another seed than training's
        double before = Measure.CompletionLoss(policy, heldOut);

        var clock = Stopwatch.StartNew();
        const int steps = 100;
        using (var session = TinyWorld.Sft(TinyWorld.Context(policy, new GeneratedProblems(seed: 7), totalSteps: steps),
            new SftOptions { LearningRate = 3e-3, WarmupSteps = 5, ProblemsPerStep = 32 }))
        {
            for (int s = 0; s < steps; s++)
            {
                var metrics = session.Step();
                Assert.True(double.IsFinite(metrics["loss"]) && metrics["tokens"] > 0, $"step {s + 1}: {string.Join(", ", metrics)}");
            }
        }
        double after = Measure.CompletionLoss(policy, heldOut);
        output.WriteLine($"held-out completion loss {before:F3} -> {after:F3} in {steps} steps, {clock.Elapsed.TotalSeconds:F1} s");

        Assert.True(after < 0.7 * before, $"held-out loss went {before:F3} -> {after:F3}; expected a drop of more than 30%");
    }

    [Fact]
    public void PromptTokensAreNotSupervised()
    {
        using var policy = TinyWorld.Policy();
        var problem = TinyWorld.Problems(1, seed: 3)[0];
        double expected = Measure.CompletionLoss(policy, [problem]);                  // before the update, completion only
        double everything = Measure.CompletionLoss(policy, [("", problem.Prompt + problem.Solution)]);

        using var session = TinyWorld.Sft(TinyWorld.Context(policy, new FixedProblems(problem)), new SftOptions { ProblemsPerStep = 1 });
        var metrics = session.Step();

        Assert.Equal(problem.Solution.Length + 1, metrics["tokens"]);                 // the solution and its end token
        Assert.Equal(expected, metrics["loss"], 5);
        Assert.NotEqual(everything, metrics["loss"], 3);
    }

    [Fact]
    public void AToolsOutputsInTheCompletionAreContextAndNotTargets()
    {
        using var policy = TinyWorld.Policy();
        var problem = new Problem("hand", "7+5+9=", "1:7+5=12\n2:12+9=21\n#21", "21", 3);
        // BOS, the prompt's 6 characters, then completion character j at id 7 + j, then EOS at id 29. The tool wrote "12"
        // (j = 6, 7) and "21" (j = 16, 17); the other 18 characters and the end token, 19 targets, are the model's.
        var tokenizer = TinyWorld.Tokenizer;
        int[] ids = [tokenizer.Bos, .. tokenizer.Encode(problem.Prompt + problem.Solution), tokenizer.Eos];
        int[] byTool = [13, 14, 23, 24];
        int[] targets = [.. Enumerable.Range(7, 23).Except(byTool)];
        double expected, unmasked;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var logProbs = policy.Forward(tensor(ids[..^1]).view(1, -1)).log_softmax(-1)[0];          // (T, V): row t predicts id t + 1
            double LogProb(int i) => logProbs[i - 1, ids[i]].item<float>();
            expected = -targets.Average(LogProb);
            unmasked = -Enumerable.Range(7, 23).Average(LogProb);
        }

        var context = TinyWorld.Context(policy, new FixedProblems(problem)) with { Tool = new SumTool() };
        using var session = TinyWorld.Sft(context, new SftOptions { ProblemsPerStep = 1 });
        var metrics = session.Step();

        Assert.Equal(targets.Length, metrics["tokens"]);
        Assert.Equal(expected, metrics["loss"], 5);
        Assert.NotEqual(unmasked, metrics["loss"], 3);
    }

    // Answers "a+b=" at the end of a step line with the sum, as a calculator without marks would.
    private sealed class SumTool : ITool
    {
        public string CallEnd => "=";

        public ToolReply? Reply(string text)
        {
            string call = text[(text.LastIndexOfAny(['\n', ':']) + 1)..^1];
            string[] terms = call.Split('+');
            return terms.Length == 2 && int.TryParse(terms[0], out int a) && int.TryParse(terms[1], out int b) ? ToolReply.Of($"{a + b}") : null;
        }
    }

    [Fact]
    public void StepReportsEveryMetricAndFollowsTheSchedule()
    {
        using var policy = TinyWorld.Policy();
        var problems = new GeneratedProblems(seed: 2);
        using var session = TinyWorld.Sft(TinyWorld.Context(policy, problems, totalSteps: 4),
            new SftOptions { LearningRate = 1e-3, WarmupSteps = 2, MinLearningRateRatio = 0.1, ProblemsPerStep = 4 });

        var lrs = Enumerable.Range(0, 4).Select(_ => session.Step()).Select(m =>
        {
            Assert.Equal(["grad_norm", "loss", "lr", "step_time_s", "tokens", "tokens_per_s"], m.Keys.Order());
            Assert.All(m.Values, v => Assert.True(double.IsFinite(v) && v >= 0));
            return m["lr"];
        }).ToList();

        // Warm-up 1e-3·(s+1)/2, then cosine from the peak to 1e-4 over the remaining 2 steps.
        Assert.Equal([5e-4, 1e-3, 1e-3, 1e-4 + 0.5 * (1 + Math.Cos(Math.PI / 2)) * 9e-4], lrs, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void SftNeverSamplesAndLeavesTheModeAsItFoundIt()
    {
        using var policy = TinyWorld.Policy();
        var rollouts = new FixedRollouts(policy, TinyWorld.Tokenizer, (p, _) => (p.Solution, 1.0));
        using var session = TinyWorld.Sft(TinyWorld.Context(policy, new GeneratedProblems(seed: 4), rollouts), new SftOptions { ProblemsPerStep = 2 });
        session.Step();
        Assert.Equal(0, rollouts.Calls);
        Assert.False(policy.Module.training);
    }

    [Fact]
    public void TooLongExamplesNameTheContextLength()
    {
        using var policy = TinyWorld.Policy();
        var problem = TinyWorld.Problems(1, seed: 5)[0];
        var longOne = problem with { Solution = string.Concat(Enumerable.Repeat(problem.Solution, 8)) };
        using var session = TinyWorld.Sft(TinyWorld.Context(policy, new FixedProblems(longOne)), new SftOptions { ProblemsPerStep = 1 });
        var e = Assert.Throws<InvalidOperationException>(() => session.Step());
        Assert.Contains("ContextLength", e.Message);
    }
}
