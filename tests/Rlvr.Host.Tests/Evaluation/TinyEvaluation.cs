using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rlvr.Host.Plugins;
using Rlvr.Host.Tests.Reports;
using Rlvr.Models;
using Rlvr.Tasks;
using static TorchSharp.torch;

namespace Rlvr.Host.Tests.Evaluation;

/// <summary>A small evaluation: three one-letter problems over "abc", a verifier that wants an 'a' first, and a one-layer transformer.</summary>
internal static class TinyEvaluation
{
    public const string Alphabet = "abc";

    public static readonly IReadOnlyList<Problem> Problems = [.. Enumerable.Range(0, 3).Select(i => new Problem($"p{i}", $"{Alphabet[i]}", "a", "a", 2))];

    public sealed class StartsWithA : IVerifier
    {
        public Verification Verify(Problem problem, string completion) => new(completion.StartsWith('a'), [], completion.Length > 0 ? completion[..1] : null);
    }

    /// <summary>A host with the built-in plugins and a one-layer transformer of width 16: dispose it after the model.</summary>
    public static IHost Host() => RlvrHostBuilder.Create(new RlvrHostSettings
    {
        Overrides = ["--Models:Transformer:Layers=1", "--Models:Transformer:Width=16", "--Models:Transformer:Heads=2", "--Models:Transformer:ContextLength=16"],
    }).Build();

    public static ICausalLanguageModel Transformer(IHost host, CharTokenizer tokenizer) =>
        host.Services.GetRequiredService<ComponentCatalog>().Get<IModelArchitecture>("transformer").Create(tokenizer.VocabularySize, CPU, seed: 1);
}
