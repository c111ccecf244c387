// The sampler against this machine's roofline: for each width, 2,048 rows of distinct prompts and of prompts shared in
// groups of 256, the generated tokens/s achieved and the tokens/s the machine allows, both measured in this process.
// The roofline of a sampling call is its FLOPs at the GEMM throughput of the decode step's own shapes (torch.matmul
// on them) plus the bytes it must read at the bandwidth of a large read, each rate the best of nine timings before
// every run, over the whole process: per step each running row reads its keys and values (L · 2 · d floats a cached
// position) and the step reads the weights once.
//   dotnet Rlvr.Benchmarks.dll --mode roofline [--widths 64,128,256] [--rows 2048] [--group 256] [--runs 3] [--new-tokens 32]
// Give d = 256 its own process (--widths 256): after the smaller widths, its GEMM timing has read low (docs/benchmarks.md).
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host;
using Rlvr.Host.Plugins;
using Rlvr.Models;
using Rlvr.Sampling;
using Rlvr.Tasks;
using Rlvr.Tokenizers;
using static TorchSharp.torch;

internal static class SamplingRoofline
{
    private const int Layers = 4, HeadSize = 32, Context = 96;

    public static void Run(Arguments arguments)
    {
        int rows = arguments.Get("rows", 2048), group = arguments.Get("group", 256), runs = arguments.Get("runs", 3), newTokens = arguments.Get("new-tokens", 32);
        int[] widths = [.. arguments.Get("widths", "64,128,256").Split(',').Select(int.Parse)];
        double bandwidth = ReadBandwidth();
        Console.WriteLine($"threads {get_num_threads()}, read bandwidth {bandwidth / 1e9:F1} GB/s at the start");
        Console.WriteLine("| d | prompts | tokens/s (runs) | median | roofline tokens/s | GEMM GFLOP/s (decode shapes) | fraction |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (int d in widths)
        {
            using var host = RlvrHostBuilder.Create(new RlvrHostSettings
            {
                Overrides = [$"--Models:Transformer:Width={d}", $"--Models:Transformer:Layers={Layers}", $"--Models:Transformer:Heads={Math.Max(1, d / HeadSize)}",
                             $"--Models:Transformer:ContextLength={Context}", "--Tasks:Arithmetic:MinDifficulty=3", "--Tasks:Arithmetic:MaxDifficulty=4"],
            }).Build();
            var catalog = host.Services.GetRequiredService<ComponentCatalog>();
            var task = catalog.Get<IProblemGenerator>("arithmetic");
            var tokenizer = catalog.Get<ITokenizerFactory>("char").Create(task.Alphabet);
            using var model = catalog.Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, CPU, seed: 0);
            model.Module.eval();
            var random = new Random(0);
            var prompts = Enumerable.Range(0, rows).Select(_ => (int[])[tokenizer.Bos, .. tokenizer.Encode(task.Generate(random.Next(3, 5), random).Prompt)]).ToArray();
            var shapes = new DecodeShapes(d, Layers, tokenizer.VocabularySize);
            var cases = new (string Name, int[][] Prompts, int Group)[] { ("distinct", prompts, 1), ("grouped", prompts[..(rows / group)], group) };

            var sampler = new BatchedSampler(new SamplingOptions { MaxNewTokens = newTokens, Seed = 1 });
            sampler.Sample(model, prompts[..64], 1, tokenizer.Eos, tokenizer.Pad);                             // warm-up
            var achieved = cases.ToDictionary(c => c.Name, _ => new List<double>());
            var calls = cases.ToDictionary(c => c.Name, _ => new List<IReadOnlyList<SampledCompletion>>());
            double gemm = 0;
            for (int run = 0; run < runs; run++)
            {
                gemm = Math.Max(gemm, shapes.GemmFlopsPerSecond(rows));                                   // the best rate of every run's timings
                bandwidth = Math.Max(bandwidth, ReadBandwidth());
                foreach (var (name, set, g) in cases)                                                        // interleaved
                {
                    var clock = Stopwatch.StartNew();
                    var completions = sampler.Sample(model, set, g, tokenizer.Eos, tokenizer.Pad, seed: run);
                    double seconds = clock.Elapsed.TotalSeconds;
                    achieved[name].Add(completions.Sum(c => c.Tokens.Length) / seconds);
                    calls[name].Add(completions);
                }
            }
            foreach (var (name, set, _) in cases)
            {
                var roofline = calls[name].Select(c => c.Sum(x => x.Tokens.Length) / shapes.Seconds(set, c, gemm, bandwidth)).ToList();
                double a = Median(achieved[name]), r = Median(roofline);
                Console.WriteLine($"| {d} | {name} | {string.Join(" / ", achieved[name].Select(x => x.ToString("N0")))} | {a:N0} | {r:N0} | {gemm / 1e9:F1} | {a / r:P0} |");
            }
        }
    }

    // A large read (sum over 256 MB), the kind of traffic a decode step's keys and values make; bytes per second, the
    // best of several timings (a roofline is what the machine reaches, not what it usually does).
    private static double ReadBandwidth()
    {
        using var scope = NewDisposeScope();
        var big = ones(64L << 20);
        big.sum().Dispose();
        return big.numel() * 4 / Fastest(() => big.sum().Dispose());
    }

    private const int Timings = 9;

    // The shortest of several timings of an action, in seconds.
    private static double Fastest(Action action)
    {
        double best = double.MaxValue;
        for (int i = 0; i < Timings; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // The GEMMs of one token through the model: per layer q·k·v (d → 3d), the attention projection (d → d), the MLP
    // (d → 4d → d); then the tied head (d → V).
    private sealed class DecodeShapes(int d, int layers, int vocabulary)
    {
        private readonly (int K, int N, int Count)[] _gemms = [(d, 3 * d, layers), (d, d, layers), (d, 4 * d, layers), (4 * d, d, layers), (d, vocabulary, 1)];

        public double FlopsPerToken => _gemms.Sum(g => 2.0 * g.K * g.N * g.Count);

        public double Parameters => _gemms.Sum(g => (double)g.K * g.N * g.Count);

        // FLOPs per second of one decode step's GEMMs at `rows` rows: torch.matmul on each shape, the best of several timings.
        public double GemmFlopsPerSecond(int rows)
        {
            using var scope = NewDisposeScope();
            var operands = _gemms.Select(g => (A: randn(rows, g.K), B: randn(g.K, g.N), g.Count)).ToArray();
            void Step() { foreach (var (a, b, count) in operands) for (int i = 0; i < count; i++) a.matmul(b).Dispose(); }
            Step();
            return rows * FlopsPerToken / Fastest(Step);
        }

        // The least time the call could take: every forward position's FLOPs (the prompts once, then one position per
        // running row and step) at the GEMM rate, and every step's reads at the bandwidth. A row's cache holds its
        // prompt and the tokens so far; padding is not counted.
        public double Seconds(int[][] prompts, IReadOnlyList<SampledCompletion> completions, double gemm, double bandwidth)
        {
            double positionBytes = layers * 2.0 * d * 4, weightBytes = Parameters * 4;
            double flops = prompts.Sum(p => (double)p.Length) * FlopsPerToken, bytes = 0;
            int steps = completions.Max(c => c.Tokens.Length);
            for (int t = 0; t < steps - 1; t++)                                  // the step that feeds token t
            {
                var running = completions.Where(c => c.Tokens.Length > t + 1).ToArray();
                if (running.Length == 0) break;
                flops += running.Length * FlopsPerToken;
                bytes += weightBytes + running.Sum(c => (prompts[c.Prompt].Length + t + 1) * positionBytes);
            }
            return flops / gemm + bytes / bandwidth;
        }
    }
}
