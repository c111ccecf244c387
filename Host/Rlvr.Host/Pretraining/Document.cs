// One pretraining document: BOS + prompt + worked solution + EOS. With a tool, the solution's tool outputs are
// encoded on their own and marked: the model reads them but is never trained to write them.
using Rlvr.Tokenizers;
using Rlvr.Tools;
using Rlvr.Training;

namespace Rlvr.Host.Pretraining;

/// <param name="Text">The prompt and solution as one text.</param>
/// <param name="Ids">BOS, the text's tokens, EOS.</param>
/// <param name="ToolWritten">Per id, whether a tool wrote it; null when the document has no tool.</param>
internal sealed record Document(string Text, int[] Ids, bool[]? ToolWritten)
{
    public static Document Of(ITokenizer tokenizer, ITool? tool, string prompt, string solution)
    {
        string text = prompt + solution;
        if (tool is null) return new(text, TokenBatch.Sequence(tokenizer, text), null);
        var (ids, written) = ToolTrace.Sequence(tokenizer, tool, prompt, solution);
        return new(text, ids, written);
    }

    /// <summary>Whether target t, the prediction of id t + 1, is trained on: not where a tool wrote that id.</summary>
    public bool Supervised(int t) => ToolWritten is null || !ToolWritten[t + 1];
}
