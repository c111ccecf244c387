namespace Rlvr.Tokenizers;

/// <summary>Maps text to token ids and back, with beginning, end and padding tokens.</summary>
/// <remarks>Implementations are immutable and thread-safe.</remarks>
public interface ITokenizer
{
    /// <summary>The number of distinct token ids, special tokens included.</summary>
    int VocabularySize { get; }

    /// <summary>The id that starts every sequence.</summary>
    int Bos { get; }

    /// <summary>The id that ends a completion.</summary>
    int Eos { get; }

    /// <summary>The id that pads rows to a common length; never predicted.</summary>
    int Pad { get; }

    /// <summary>Encodes text without special tokens.</summary>
    /// <exception cref="ArgumentException">The text holds a character the vocabulary lacks.</exception>
    int[] Encode(string text);

    /// <summary>Decodes ids to text, skipping special tokens.</summary>
    string Decode(ReadOnlySpan<int> ids);

    /// <summary>Writes the vocabulary to <paramref name="path"/>: the base run keeps it beside its model, for tools outside Rlvr that read the model's ids.</summary>
    void Save(string path);
}
