// The chat formats the tokenizer renders: ChatML (Qwen) and Llama 3's header format. Each renders the messages
// without the beginning token, which the host prepends itself, and can end with the header of the assistant's turn.
namespace Rlvr.Plugins.HfTokenizer;

/// <summary>One message of a conversation.</summary>
/// <param name="Role">system, user or assistant.</param>
/// <param name="Content">The message text.</param>
internal readonly record struct ChatMessage(string Role, string Content);

internal static class ChatTemplates
{
    public const string Auto = "auto";
    public const string None = "none";
    public const string ChatMl = "chatml";
    public const string Llama3 = "llama3";

    /// <summary>The format a Jinja chat_template of tokenizer_config.json writes, recognised by its markers; none when unknown.</summary>
    public static string Recognise(string? jinja) =>
        jinja is null ? None
        : jinja.Contains("<|im_start|>", StringComparison.Ordinal) ? ChatMl
        : jinja.Contains("<|start_header_id|>", StringComparison.Ordinal) ? Llama3
        : None;

    /// <summary>The conversation as text in <paramref name="template"/>'s format.</summary>
    /// <param name="addGenerationPrompt">Whether to end with the opening of the assistant's turn.</param>
    public static string Render(string template, IEnumerable<ChatMessage> messages, bool addGenerationPrompt)
    {
        var text = new System.Text.StringBuilder();
        switch (template)
        {
            case ChatMl:
                foreach (var m in messages) text.Append("<|im_start|>").Append(m.Role).Append('\n').Append(m.Content).Append("<|im_end|>\n");
                if (addGenerationPrompt) text.Append("<|im_start|>assistant\n");
                break;
            case Llama3:   // Llama 3's template trims each message's content
                foreach (var m in messages) text.Append(Header(m.Role)).Append(m.Content.Trim()).Append("<|eot_id|>");
                if (addGenerationPrompt) text.Append(Header("assistant"));
                break;
            case None:
                throw new InvalidOperationException($"This tokenizer has no chat template; set {HfTokenizerOptions.Section}:ChatTemplate to \"{ChatMl}\" or \"{Llama3}\".");
            default:
                throw new ArgumentException($"Unknown chat template \"{template}\".", nameof(template));
        }
        return text.ToString();
    }

    private static string Header(string role) => $"<|start_header_id|>{role}<|end_header_id|>\n\n";
}
