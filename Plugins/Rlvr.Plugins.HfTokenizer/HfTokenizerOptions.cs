// Options of the "hf-tokenizer" tokenizer, bound from "Tokenizers:HuggingFace". Path is checked in AddHfTokenizer when set, and
// required only when the tokenizer is used: every plugin's options are validated whichever components a run selects.
using System.ComponentModel.DataAnnotations;

namespace Rlvr.Plugins.HfTokenizer;

public sealed class HfTokenizerOptions
{
    public const string Section = "Tokenizers:HuggingFace";

    public string? Path { get; set; }                     // a tokenizer.json, or a folder with tokenizer.json (and tokenizer_config.json); needed once the tokenizer is used

    [AllowedValues(ChatTemplates.Auto, ChatTemplates.None, ChatTemplates.ChatMl, ChatTemplates.Llama3,
        ErrorMessage = "ChatTemplate must be \"auto\", \"none\", \"chatml\" or \"llama3\".")]
    public string ChatTemplate { get; set; } = ChatTemplates.Auto;   // auto: recognised from tokenizer_config.json's chat_template, else none

    public string? Bos { get; set; }                      // token text; default: tokenizer_config.json's bos_token, else its eos_token
    public string? Eos { get; set; }                      // default: tokenizer_config.json's eos_token
    public string? Pad { get; set; }                      // default: tokenizer_config.json's pad_token, else the end token
}
