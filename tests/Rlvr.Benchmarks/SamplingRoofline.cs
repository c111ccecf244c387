// The sampler against this machine's roofline: for each width, 2,048 rows of distinct prompts and of prompts shared in
// groups of 256, the generated tokens/s achieved and the tokens/s the machine allows, both measured in this process,
// in each sampling precision asked for (float32, the model's own; bfloat16: GEMMs and bytes in bfloat16, so its
// roofline is its own).
// The roofline of a sampling call is its FLOPs at the GEMM throughput of the decode step's own shapes (torch.matmul
// on them) plus the bytes it must read at the bandwidth of a large read, each rate the best of nine timings before
// every run, over the whole process: per step each running row reads its keys and values (L · 2 · d floats a cached
// position) and the step reads the weights once.
//   dotnet Rlvr.Benchmarks.dll --mode roofline [--threads N] [--widths 64,128,256] [--precisions float32,bfloat16] [--rows 2048] [--group 256] [--runs 3] [--new-tokens 32]
// --threads 1 is the studies' own setting (each worker process runs one thread). Give d = 256 its own process (--widths 256): after the smaller widths, its GEMM timing has read low (docs/benchmarks.md).
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

    // The sampling precisions by the names --precisions takes, with their bytes an element.
    private static readonly (string Name, ScalarType? Type, int Bytes)[] Precisions = [("float32", ScalarType.Float32, 4), ("bfloat16", ScalarType.BFloat16, 2)];

    public static void Run(Arguments arguments)
    {
        int rows = arguments.Get("rows", 2048), group = arguments.Get("group", 256), runs = arguments.Get("runs", 3), newTokens = arguments.Get("new-tokens", 32);
        int[] widths = [.. arguments.Get("widths", "64,128,256").Split(',').Select(int.Parse)];
        ScalarType[] precisions = [.. arguments.Get("precisions", "float32").Split(',').Select(p => Precisions.FirstOrDefault(x => x.Name == p).Type
            ?? throw new ArgumentException($"--precisions takes float32 and bfloat16, not {p}."))];
        double bandwidth = ReadBandwidth();
        Console.WriteLine($"threads {get_num_threads()}, read bandwidth {bandwidth / 1e9:F1} GB/s at the start");
        Console.WriteLine("| d | prompts | precision | tokens/s (runs) | median | roofline tokens/s | GEMM GFLOP/s (decode shapes) | fraction |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
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
            var sets = new (string Name, int[][] Prompts, int Group)[] { ("distinct", prompts, 1), ("grouped", prompts[..(rows / group)], group) };
            var cases = precisions.SelectMany(p => sets.Select(c => (c.Name, c.Prompts, c.Group, Precision: p))).ToArray();
            var samplers = precisions.ToDictionary(p => p, p => new BatchedSampler(new SamplingOptions
            {
                MaxNewTokens = newTokens, Seed = 1, Precision = p == ScalarType.Float32 ? null : p,
            }));
            foreach (var sampler in samplers.Values) sampler.Sample(model, prompts[..64], 1, tokenizer.Eos, tokenizer.Pad);   // warm-up
            var achieved = cases.ToDictionary(c => c, _ => new List<double>());
            var calls = cases.ToDictionary(c => c, _ => new List<IReadOnlyList<SampledCompletion>>());
            var gemm = precisions.ToDictionary(p => p, _ => 0.0);
            for (int run = 0; run < runs; run++)
            {
                foreach (var p in precisions) gemm[p] = Math.Max(gemm[p], shapes.GemmFlopsPerSecond(rows, p));   // the best rate of every run's timings
                bandwidth = Math.Max(bandwidth, ReadBandwidth());
                foreach (var c in cases)                                                                      // interleaved
                {
                    var clock = Stopwatch.StartNew();
                    var completions = samplers[c.Precision].Sample(model, c.Prompts, c.Group, tokenizer.Eos, tokenizer.Pad, seed: run);
                    double seconds = clock.Elapsed.TotalSeconds;
                    achieved[c].Add(completions.Sum(x => x.Tokens.Length) / seconds);
                    calls[c].Add(completions);
                }
            }
            foreach (var c in cases)
            {
                var roofline = calls[c].Select(x => x.Sum(y => y.Tokens.Length) / shapes.Seconds(c.Prompts, x, gemm[c.Precision], bandwidth, c.Precision)).ToList();
                double a = Median(achieved[c]), r = Median(roofline);
                string name = Precisions.First(x => x.Type == c.Precision).Name;
                Console.WriteLine($"| {d} | {c.Name} | {name} | {string.Join(" / ", achieved[c].Select(x => x.ToString("N0")))} | {a:N0} | {r:N0} | {gemm[c.Precision] / 1e9:F1} | {a / r:P0} |");
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

        // FLOPs per second of one decode step's GEMMs at `rows` rows: torch.matmul on each shape in this precision, the
        // best of several timings.
        public double GemmFlopsPerSecond(int rows, ScalarType precision)
        {
            using var scope = NewDisposeScope();
            var operands = _gemms.Select(g => (A: randn(rows, g.K).to(precision), B: randn(g.K, g.N).to(precision), g.Count)).ToArray();
            void Step() { foreach (var (a, b, count) in operands) for (int i = 0; i < count; i++) a.matmul(b).Dispose(); }
            Step();
            return rows * FlopsPerToken / Fastest(Step);
        }

        // The least time the call could take: every forward position's FLOPs (the prompts once, then one position per
        // running row and step) at the GEMM rate, and every step's reads at the bandwidth, in the precision's bytes. A
        // row's cache holds its prompt and the tokens so far; padding is not counted.
        public double Seconds(int[][] prompts, IReadOnlyList<SampledCompletion> completions, double gemm, double bandwidth, ScalarType precision)
        {
            int size = Precisions.First(x => x.Type == precision).Bytes;
            double positionBytes = layers * 2.0 * d * size, weightBytes = Parameters * size;
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
