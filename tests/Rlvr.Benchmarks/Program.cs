// Rlvr's speed on this machine, in one run: fp32 matmul peak, pretraining throughput and MFU, batched KV-cached
// sampling (distinct prompts, and groups sharing a prompt's cache), and the cache's speed-up over recompute.
//   dotnet run -c Release --project tests/Rlvr.Benchmarks -- [--threads N] [--d 128] [--layers 4] [--heads 4] [--ctx 96] [--rows 2048] [--micro-batches 1]
// With --mode roofline it measures the sampler against this machine's roofline instead (SamplingRoofline.cs).
// With --mode checkpointing, activation checkpointing's memory and time (ActivationMemory.cs).
using Rlvr.Training;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rlvr.Host;
using Rlvr.Host.Data;
using Rlvr.Host.Pretraining;
using Rlvr.Host.Plugins;
using Rlvr.Host.Runs;
using Rlvr.Models;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

NativeRuntime.Configure();   // before the first tensor, as a study's process does when it builds its host
var arguments = Arguments.Parse(args);
int d = arguments.Get("d", 128), layers = arguments.Get("layers", 4), heads = arguments.Get("heads", 4), ctx = arguments.Get("ctx", 96);
int rows = arguments.Get("rows", 2048), batch = arguments.Get("batch", 64), trainSteps = arguments.Get("train-steps", 30), newTokens = arguments.Get("new-tokens", 32);
int microBatches = arguments.Get("micro-batches", 1);
torch.set_num_threads(arguments.Get("threads", Environment.ProcessorCount));
if (arguments.Get("mode", "") == "roofline") { SamplingRoofline.Run(arguments); return; }
if (arguments.Get("mode", "") == "checkpointing") { ActivationMemory.Run(arguments); return; }

using var host = RlvrHostBuilder.Create(new RlvrHostSettings
{
    Overrides = [$"--Models:Transformer:Width={d}", $"--Models:Transformer:Layers={layers}", $"--Models:Transformer:Heads={heads}",
                 $"--Models:Transformer:ContextLength={ctx}", "--Tasks:Arithmetic:MinDifficulty=3", "--Tasks:Arithmetic:MaxDifficulty=4"],
}).Build();
var catalog = host.Services.GetRequiredService<ComponentCatalog>();
var task = catalog.Get<IProblemGenerator>("arithmetic");
var tokenizer = catalog.Get<ITokenizerFactory>("char").Create(task.Alphabet);
using var model = catalog.Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, CPU, seed: 0);
var random = new Random(0);
var results = new Dictionary<string, object> { ["machine"] = $"{Environment.ProcessorCount} cores", ["threads"] = torch.get_num_threads(), ["d"] = d, ["layers"] = layers };

// 1. fp32 matmul peak: 512x512x512, 2·n³ FLOPs each.
double peak;
using (NewDisposeScope())
{
    var a = randn(512, 512); var b = randn(512, 512);
    for (int i = 0; i < 10; i++) a.matmul(b).Dispose();
    var clock = Stopwatch.StartNew();
    const int reps = 200;
    for (int i = 0; i < reps; i++) a.matmul(b).Dispose();
    peak = reps * 2.0 * 512 * 512 * 512 / clock.Elapsed.TotalSeconds;
}
results["matmul_512_gflops"] = Math.Round(peak / 1e9, 1);

// 2. Pretraining: forward + backward + AdamW on batches of chain-sum traces, as the peer does; with --micro-batches
// the step's documents are sorted by length into that many parts, each padded to its own longest row.
long parameters = model.Module.parameters().Sum(p => p.numel());
var optimizer = optim.AdamW(model.Module.parameters(), lr: 1e-3);
(long counted, long computed, long real, double flops) TrainStep()
{
    using var scope = NewDisposeScope();
    var texts = Enumerable.Range(0, batch).Select(_ => { var p = task.Generate(random.Next(3, 5), random); return p.Prompt + task.WriteSolution(p, new SolutionNoise(0.2, 0), random); }).ToList();
    var batches = LengthMicroBatches.Batches(tokenizer, texts, microBatches, CPU);
    optimizer.zero_grad();
    LengthMicroBatches.Backward(model, batches);
    optimizer.step();
    long supervised = batches.Sum(b => b.Supervised);
    var parts = batches.Select(b => (Rows: b.Inputs.shape[0], T: b.Inputs.shape[1])).ToList();
    // nanoGPT estimate_mfu: 6N + 12·L·d·T FLOPs per token, over every position computed (padding included).
    double flops = parts.Sum(p => (6.0 * parameters + 12.0 * layers * d * p.T) * p.Rows * p.T);
    return (batch * parts.Max(p => p.T), parts.Sum(p => p.Rows * p.T), supervised, flops);
}
model.Module.train();
for (int i = 0; i < 3; i++) TrainStep();
var trainClock = Stopwatch.StartNew();
long countedTokens = 0, computedTokens = 0, realTokens = 0; double trainFlops = 0;
for (int i = 0; i < trainSteps; i++) { var (c, p, r, f) = TrainStep(); countedTokens += c; computedTokens += p; realTokens += r; trainFlops += f; }
double trainSeconds = trainClock.Elapsed.TotalSeconds;
results["params"] = parameters;
results["train_micro_batches"] = microBatches;
results["train_tokens_per_s"] = Math.Round(countedTokens / trainSeconds);         // counted as the peer counts: B·T, T the batch's longest row
results["train_computed_tokens_per_s"] = Math.Round(computedTokens / trainSeconds); // positions computed, padding included
results["train_real_tokens_per_s"] = Math.Round(realTokens / trainSeconds);       // padding excluded
results["train_mfu"] = Math.Round(trainFlops / trainSeconds / peak, 3);
model.Module.eval();

// 3. Sampling: `rows` distinct prompts, one completion each (the peer's set-up), and groups of 256 sharing a prompt.
int[] Prompt() => [tokenizer.Bos, .. tokenizer.Encode(task.Generate(random.Next(3, 5), random).Prompt)];
double GeneratedPerSecond(IReadOnlyList<int[]> prompts, int group, bool recompute, out double seconds)
{
    var sampler = new BatchedSampler(new SamplingOptions { MaxNewTokens = newTokens, Seed = 1, Recompute = recompute });
    var clock = Stopwatch.StartNew();
    var completions = sampler.Sample(model, prompts, group, eos: tokenizer.Eos, pad: tokenizer.Pad);
    seconds = clock.Elapsed.TotalSeconds;
    return completions.Sum(c => c.Tokens.Length) / seconds;
}
var distinct = Enumerable.Range(0, rows).Select(_ => Prompt()).ToArray();
GeneratedPerSecond(distinct[..64], 1, recompute: false, out _);                    // warm-up
results["sample_distinct_rows"] = rows;
results["sample_distinct_tokens_per_s"] = Math.Round(GeneratedPerSecond(distinct, 1, recompute: false, out _));
results["sample_grouped_tokens_per_s"] = Math.Round(GeneratedPerSecond(distinct[..(rows / 256)], 256, recompute: false, out _));

// 4. KV cache vs recompute at batch 64, `newTokens` new tokens.
GeneratedPerSecond(distinct[..64], 1, recompute: false, out double cached);
GeneratedPerSecond(distinct[..64], 1, recompute: true, out double recomputed);
results["kv_cache_speedup_b64"] = Math.Round(recomputed / cached, 2);

Console.WriteLine(JsonSerializer.Serialize(results));

internal sealed class Arguments(Dictionary<string, string> values)
{
    public static Arguments Parse(string[] args) =>
        new(Enumerable.Range(0, args.Length / 2).ToDictionary(i => args[2 * i].TrimStart('-'), i => args[2 * i + 1]));

    public int Get(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
}
