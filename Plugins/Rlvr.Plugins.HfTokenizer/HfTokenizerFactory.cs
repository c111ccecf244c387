// Builds the tokenizer from the configured tokenizer.json. The task's alphabet does not shape the vocabulary (the
// file fixes it); Create only checks that no character of it falls to the unknown token.
using Microsoft.Extensions.Options;
using Rlvr.Tokenizers;

namespace Rlvr.Plugins.HfTokenizer;

internal sealed class HfTokenizerFactory(IOptions<HfTokenizerOptions> options) : ITokenizerFactory
{
    private static readonly string[] s_bosNames = ["<s>", "<|begin_of_text|>", "<|endoftext|>"];
    private static readonly string[] s_eosNames = ["</s>", "<|end_of_text|>", "<|endoftext|>"];

    public ITokenizer Create(string alphabet)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        var o = options.Value;
        if (string.IsNullOrEmpty(o.Path))
            throw new InvalidOperationException($"{HfTokenizerOptions.Section}:Path is not set: name a tokenizer.json file or a model folder holding one.");
        var (path, configPath) = Locate(o.Path);
        var file = TokenizerFile.Parse(File.ReadAllText(path), path);
        var config = TokenizerConfig.Read(configPath);

        string template = o.ChatTemplate == ChatTemplates.Auto ? ChatTemplates.Recognise(config.ChatTemplate) : o.ChatTemplate;
        string eos = o.Eos ?? config.EosToken ?? Known(file, s_eosNames, "Eos");
        string bos = o.Bos ?? config.BosToken ?? config.EosToken ?? Known(file, s_bosNames, "Bos");
        var tokenizer = new HfTokenizer(file, path, new SpecialTokens(bos, eos, o.Pad ?? config.PadToken ?? eos), template);

        if (file.UnknownId is int unknown)
            foreach (char c in alphabet.Distinct())
                if (tokenizer.Encode(c.ToString()).Contains(unknown))
                    throw new ArgumentException($"{HfTokenizerOptions.Section}:Path: {path} has no token for the task's character '{c}' (U+{(int)c:X4}); it would encode as the unknown token.", nameof(alphabet));
        return tokenizer;
    }

    /// <summary>The tokenizer.json and the tokenizer_config.json beside it, from a file or a model folder.</summary>
    public static (string Tokenizer, string Config) Locate(string configured)
    {
        string full = Path.GetFullPath(configured);
        string file = Directory.Exists(full) ? Path.Combine(full, "tokenizer.json") : full;
        return (file, Path.Combine(Path.GetDirectoryName(file)!, "tokenizer_config.json"));
    }

    // Without tokenizer_config.json, the first of the usual names that the file declares.
    private static string Known(TokenizerFile file, string[] names, string key) =>
        names.FirstOrDefault(name => file.TryGetId(name, out _))
            ?? throw new InvalidDataException($"{HfTokenizerOptions.Section}:{key}: no tokenizer_config.json names this token and the file has none of {string.Join(", ", names)}; set it.");
}
