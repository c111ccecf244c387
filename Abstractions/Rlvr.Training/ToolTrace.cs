// Written traces that call a tool (pretraining documents, SFT targets). The tool is asked again at every call in the
// text; where the text goes on with exactly what the tool would write, those characters are the tool's: context the
// model reads, never a target it learns to write. Each output is encoded on its own, as the sampler feeds it.
using Rlvr.Tokenizers;
using Rlvr.Tools;

namespace Rlvr.Training;

/// <summary>Finds a tool's outputs in written text and encodes the text with them marked.</summary>
public static class ToolTrace
{
    /// <summary>The character ranges of <paramref name="text"/> that <paramref name="tool"/> wrote, in order.</summary>
    public static IReadOnlyList<Range> Outputs(ITool tool, string text)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(text);
        var outputs = new List<Range>();
        string end = tool.CallEnd;
        for (int at = text.IndexOf(end, StringComparison.Ordinal); at >= 0; at = text.IndexOf(end, at + 1, StringComparison.Ordinal))
        {
            int start = at + end.Length;
            if (start < (outputs.Count > 0 ? outputs[^1].End.Value : 0)) continue;      // a call end inside an output
            string? output;
            try
            {
                output = tool.Reply(text[..start])?.Output;
            }
            catch (Exception)
            {
                continue;                                                                   // as in sampling: no output
            }
            if (!string.IsNullOrEmpty(output) && string.CompareOrdinal(text, start, output, 0, output.Length) == 0)
                outputs.Add(start..(start + output.Length));
        }
        return outputs;
    }

    /// <summary>
    /// The token ids of <paramref name="text"/> (no BOS or EOS) and, per token, whether the tool wrote it. Without a
    /// tool the text is encoded whole and no token is the tool's.
    /// </summary>
    public static (int[] Ids, bool[] ToolWritten) Encode(ITokenizer tokenizer, ITool? tool, string text)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tool is null)
        {
            var ids = tokenizer.Encode(text);
            return (ids, new bool[ids.Length]);
        }
        var tokens = new List<int>();
        var written = new List<bool>();
        void Append(string part, bool byTool)
        {
            if (part.Length == 0) return;
            var ids = tokenizer.Encode(part);
            tokens.AddRange(ids);
            written.AddRange(Enumerable.Repeat(byTool, ids.Length));
        }
        int at = 0;
        foreach (var output in Outputs(tool, text))
        {
            Append(text[at..output.Start.Value], byTool: false);
            Append(text[output], byTool: true);
            at = output.End.Value;
        }
        Append(text[at..], byTool: false);
        return ([.. tokens], [.. written]);
    }

    /// <summary>
    /// BOS, <paramref name="prompt"/>, <paramref name="completion"/> and EOS as token ids and, per id, whether the
    /// tool wrote it. The prompt is encoded on its own, as the sampler encodes it.
    /// </summary>
    public static (int[] Ids, bool[] ToolWritten) Sequence(ITokenizer tokenizer, ITool tool, string prompt, string completion)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var promptIds = tokenizer.Encode(prompt);
        var (ids, written) = Encode(tokenizer, tool, completion);
        return ([tokenizer.Bos, .. promptIds, .. ids, tokenizer.Eos], [.. new bool[1 + promptIds.Length], .. written, false]);
    }
}
