// The tokenizer.json and word-problem plugins as the host loads them: each in its own load context (the tokenizer's
// native library resolved from its plugin folder), and a study using both passes `rlvr validate`.
using System.Runtime.Loader;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Plugins;
using Rlvr.Host.Studies;
using Rlvr.Host.Tests.Support;
using Rlvr.Tasks;
using Rlvr.Tokenizers;

namespace Rlvr.Host.Tests.Plugins;

public sealed class WordProblemsWithHfTokenizerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rlvr-word-problems-study-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Both_plugins_load_and_resolve_through_the_catalog()
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = Overrides() });
        using var host = builder.Build();

        foreach (string name in new[] { "Rlvr.Plugins.HfTokenizer", "Rlvr.Plugins.WordProblems" })
            Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(Assert.Single(builder.Plugins.Loaded, p => p.Name == name).Assembly));
        var catalog = host.Services.GetRequiredService<ComponentCatalog>();
        var task = catalog.Get<IProblemGenerator>("word-problems");
        var tokenizer = catalog.Get<ITokenizerFactory>("hf-tokenizer").Create(task.Alphabet);

        // Every character is its UTF-8 bytes, at 3 + the byte's value.
        Assert.Equal([3 + 'Q', 3 + 0xC3, 3 + 0xA9], tokenizer.Encode("Qé"));
        var problem = task.Generate(1, new Random(1));
        Assert.Equal(problem.Prompt, tokenizer.Decode(tokenizer.Encode(problem.Prompt)));
        Assert.True(catalog.Get<IVerifier>("word-problems").Verify(problem, "#### " + problem.Answer).AnswerCorrect);
    }

    [Fact]
    public void Validate_accepts_a_study_of_word_problems_with_a_tokenizer_json()
    {
        var builder = RlvrHostBuilder.Create(new RlvrHostSettings { Overrides = Overrides() });
        using var root = builder.Build();

        Assert.Empty(new StudyRunner(builder).Validate(root));
    }

    private string[] Overrides()
    {
        string train = Path.Combine(_folder, "train.jsonl"), heldOut = Path.Combine(_folder, "test.jsonl");
        File.WriteAllLines(train, Enumerable.Range(1, 8).Select(WordProblemFiles.Line));
        File.WriteAllLines(heldOut, Enumerable.Range(20, 4).Select(WordProblemFiles.Line));
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), WordProblemFiles.ByteFallbackTokenizer().ToJsonString());
        return
        [
            "--Components:Model=transformer", "--Components:Tokenizer=hf-tokenizer", "--Components:Task=word-problems", "--Components:Verifier=word-problems",
            "--Models:Transformer:Layers=1", "--Models:Transformer:Width=32", "--Models:Transformer:Heads=2", "--Models:Transformer:ContextLength=64",
            $"--Tokenizers:HuggingFace:Path={_folder}", $"--Tasks:WordProblems:TrainFile={train}", $"--Tasks:WordProblems:HeldOutFile={heldOut}",
            "--Tasks:WordProblems:PromptTemplate={question}=", "--Evaluation:Problems=4", $"--Run:RunRoot={Path.Combine(_folder, "runs")}",
            "--Arms:grpo:Components:Algorithm=grpo",
        ];
    }
}
