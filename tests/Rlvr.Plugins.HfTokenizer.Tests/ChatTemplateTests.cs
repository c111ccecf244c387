// The chat formats, character for character, and how the template is chosen.
using System.Text.Json.Nodes;
using Rlvr.Plugins.HfTokenizer.Tests.Support;

namespace Rlvr.Plugins.HfTokenizer.Tests;

public sealed class ChatTemplateTests : IDisposable
{
    private static readonly ChatMessage[] s_conversation = [new("system", "You are terse."), new("user", "What is 2+3?")];
    private readonly TinyTokenizers _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void ChatMl_wraps_each_turn_and_opens_the_assistants()
    {
        Assert.Equal(
            "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nWhat is 2+3?<|im_end|>\n<|im_start|>assistant\n",
            ChatTemplates.Render(ChatTemplates.ChatMl, s_conversation, addGenerationPrompt: true));
    }

    [Fact]
    public void Llama3_heads_each_turn_and_trims_its_content()
    {
        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+3?<|eot_id|>",
            ChatTemplates.Render(ChatTemplates.Llama3, [s_conversation[0], new("user", "  What is 2+3?\n")], addGenerationPrompt: false));
        Assert.EndsWith("<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            ChatTemplates.Render(ChatTemplates.Llama3, s_conversation, addGenerationPrompt: true));
    }

    [Fact]
    public void Auto_reads_the_template_of_tokenizer_config_and_none_refuses_to_render()
    {
        var qwen = new JsonObject { ["chat_template"] = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" };
        var named = new JsonObject { ["chat_template"] = new JsonArray(new JsonObject { ["name"] = "default", ["template"] = "{{ '<|start_header_id|>' }}" }) };

        Assert.Equal("chatml", TinyTokenizers.Create(_files.ByteLevel("qwen", qwen)).ChatTemplate);
        Assert.Equal("llama3", TinyTokenizers.Create(_files.ByteLevel("llama3", named)).ChatTemplate);
        Assert.Equal("none", TinyTokenizers.Create(_files.ByteLevel("gpt")).ChatTemplate);
        Assert.Equal("llama3", TinyTokenizers.Create(_files.ByteLevel("qwen-as-llama", qwen), chatTemplate: "llama3").ChatTemplate);
        Assert.Throws<InvalidOperationException>(() => TinyTokenizers.Create(_files.ByteLevel("plain")).ApplyChatTemplate(s_conversation, true));
    }

    [Fact]
    public void A_rendered_chatml_prompt_encodes_its_markers_as_special_tokens()
    {
        var tokenizer = TinyTokenizers.Create(_files.ByteLevel("gpt"), chatTemplate: "chatml");

        int[] ids = tokenizer.Encode(tokenizer.ApplyChatTemplate([new("user", "hello")], addGenerationPrompt: false));

        Assert.Equal([TinyTokenizers.ImStart, 'u', 's', 'e', 'r', '\n', 259, TinyTokenizers.ImEnd, '\n'], ids);
    }
}
