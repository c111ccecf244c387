// A character-level tokenizer: ids 0..2 are PAD, BOS and EOS; then one id per character of the alphabet, in
// ordinal order, so the same alphabet always gives the same ids.
using System.Text;
using System.Text.Json;
using Rlvr.Tokenizers;

namespace Rlvr.Plugins.CharTokenizer;

internal sealed class CharTokenizer : ITokenizer
{
    internal const string Kind = "char";
    private const int Specials = 3;

    private readonly string _alphabet;
    private readonly Dictionary<char, int> _ids;

    public CharTokenizer(string alphabet)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        _alphabet = new string(alphabet.Distinct().Order().ToArray());
        _ids = _alphabet.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i + Specials);
    }

    public int VocabularySize => _alphabet.Length + Specials;
    public int Pad => 0;
    public int Bos => 1;
    public int Eos => 2;
    public string Alphabet => _alphabet;

    public int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!_ids.TryGetValue(text[i], out ids[i]))
                throw new ArgumentException($"Character '{text[i]}' (U+{(int)text[i]:X4}) at index {i} is not in the tokenizer's alphabet \"{_alphabet}\".", nameof(text));
        }
        return ids;
    }

    public string Decode(ReadOnlySpan<int> ids)
    {
        var text = new StringBuilder(ids.Length);
        foreach (int id in ids)
            if (id >= Specials && id < VocabularySize) text.Append(_alphabet[id - Specials]);
        return text.ToString();
    }

    public void Save(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new SavedVocabulary(Kind, _alphabet)));

    private sealed record SavedVocabulary(string Kind, string Alphabet);
}
