// Activation checkpointing's memory and time: one forward and backward of a freshly initialised "llama" model on a
// random batch, with Models:Llama:ActivationCheckpointing as given, then the process's peak resident size. Run it once
// each way, as separate processes, since a process keeps the memory it has freed.
//   dotnet Rlvr.Benchmarks.dll --mode checkpointing --checkpointing true|false [--d 512] [--layers 8] [--batch 8] [--ctx 256] [--steps 3]
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host;
using Rlvr.Host.Plugins;
using Rlvr.Models;
using static TorchSharp.torch;

internal static class ActivationMemory
{
    private const int Vocabulary = 256;

    public static void Run(Arguments arguments)
    {
        int d = arguments.Get("d", 512), layers = arguments.Get("layers", 8), batch = arguments.Get("batch", 8), ctx = arguments.Get("ctx", 256), steps = arguments.Get("steps", 3);
        bool checkpointing = bool.Parse(arguments.Get("checkpointing", "false"));
        using var host = RlvrHostBuilder.Create(new RlvrHostSettings
        {
            Overrides = [$"--Models:Llama:HiddenSize={d}", $"--Models:Llama:Layers={layers}", $"--Models:Llama:Heads={d / 64}", $"--Models:Llama:KeyValueHeads={d / 128}",
                         $"--Models:Llama:IntermediateSize={d * 8 / 3}", $"--Models:Llama:ContextLength={ctx}", $"--Models:Llama:ActivationCheckpointing={checkpointing}"],
        }).Build();
        using var model = host.Services.GetRequiredService<ComponentCatalog>().Get<IModelArchitecture>("llama").Create(Vocabulary, CPU, seed: 0);
        model.Module.train();
        long before = Peak();
        var seconds = new List<double>();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var ids = randint(0, Vocabulary, [batch, ctx], generator: new TorchSharp.torch.Generator(1));
            var clock = Stopwatch.StartNew();
            model.Module.zero_grad();
            var logits = model.Forward(ids);                                                              // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.narrow(1, 0, ctx - 1).reshape(-1, Vocabulary), ids.narrow(1, 1, ctx - 1).reshape(-1));
            loss.backward();
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        long parameters = model.Module.parameters().Sum(p => p.numel());
        Console.WriteLine($"checkpointing {checkpointing}: d {d}, {layers} layers, {parameters / 1e6:F1}M parameters, batch {batch} × {ctx}; " +
                          $"peak RSS {before >> 20} MB after the model, {Peak() >> 20} MB after {steps} steps; forward + backward {string.Join(" / ", seconds.Select(s => s.ToString("F2")))} s");
    }

    private static long Peak() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
}
