// The tokenizer.json and word-problem plugins as the host loads them: each in its own load context (the tokenizer's
// native library resolved from its plugin folder), and a study using both passes `rlvr validate`.
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Rlvr.Host.Plugins;
using Rlvr.Host.Studies;
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
        File.WriteAllLines(train, Enumerable.Range(1, 8).Select(Line));
        File.WriteAllLines(heldOut, Enumerable.Range(20, 4).Select(Line));
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), ByteFallbackTokenizer().ToJsonString());
        return
        [
            "--Components:Model=transformer", "--Components:Tokenizer=hf-tokenizer", "--Components:Task=word-problems", "--Components:Verifier=word-problems",
            "--Models:Transformer:Layers=1", "--Models:Transformer:Width=32", "--Models:Transformer:Heads=2", "--Models:Transformer:ContextLength=64",
            $"--Tokenizers:HuggingFace:Path={_folder}", $"--Tasks:WordProblems:TrainFile={train}", $"--Tasks:WordProblems:HeldOutFile={heldOut}",
            "--Tasks:WordProblems:PromptTemplate={question}=", "--Evaluation:Problems=4", $"--Run:RunRoot={Path.Combine(_folder, "runs")}",
            "--Arms:grpo:Components:Algorithm=grpo",
        ];
    }

    // "a+b" with a one-line solution: difficulty 1, about 20 tokens with the prompt.
    private static string Line(int a) => new JsonObject { ["question"] = $"{a}+{a + 1}", ["answer"] = $"{a}+{a + 1}={2 * a + 1}\n#### {2 * a + 1}" }.ToJsonString();

    // The smallest SentencePiece-style tokenizer.json: <unk> <s> </s>, then the 256 byte tokens; no merges.
    private static JsonObject ByteFallbackTokenizer()
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (int b = 0; b < 256; b++) vocab[$"<0x{b:X2}>"] = 3 + b;
        JsonObject Special(int id, string content) => new() { ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true };
        return new JsonObject
        {
            ["version"] = "1.0", ["truncation"] = null, ["padding"] = null,
            ["added_tokens"] = new JsonArray(Special(0, "<unk>"), Special(1, "<s>"), Special(2, "</s>")),
            ["normalizer"] = null, ["pre_tokenizer"] = null, ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "Sequence", ["decoders"] = new JsonArray(new JsonObject { ["type"] = "ByteFallback" }, new JsonObject { ["type"] = "Fuse" }) },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = "<unk>", ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null,
                ["fuse_unk"] = true, ["byte_fallback"] = true, ["vocab"] = vocab, ["merges"] = new JsonArray(),
            },
        };
    }
}
