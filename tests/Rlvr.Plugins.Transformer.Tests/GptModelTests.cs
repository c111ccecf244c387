// The GPT: seeded initialisation, shapes, causality, left padding, the key/value cache and a training smoke test.
using Rlvr.Plugins.Transformer.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Rlvr.Plugins.Transformer.Tests;

public sealed class GptModelTests
{
    private const float Tolerance = 2e-5f;
    private const float BFloat16Tolerance = 1e-2f;   // two blocks in bfloat16 (8 significant bits): measured up to 2.5e-3

    [Theory]
    [InlineData("learned")]
    [InlineData("rope")]
    public void SameSeedGivesSameParametersAndLeavesTheGlobalGeneratorAlone(string positions)
    {
        using var scope = NewDisposeScope();
        var before = get_rng_state();
        using var a = TinyModels.Create(positions, seed: 7);
        using var b = TinyModels.Create(positions, seed: 7);
        using var c = TinyModels.Create(positions, seed: 8);
        Assert.True(equal(before, get_rng_state()).all().item<bool>(), "creating a model changed the global generator");

        var (sa, sb, sc) = (a.state_dict(), b.state_dict(), c.state_dict());
        Assert.Equal(sa.Keys, sb.Keys);
        Assert.All(sa.Keys, k => Assert.True(equal(sa[k], sb[k]).all().item<bool>(), $"{k} differs for the same seed"));
        Assert.Contains(sa.Keys, k => !equal(sa[k], sc[k]).all().item<bool>());
        Assert.Contains("h.0.attn.c_attn.weight", sa.Keys);
        Assert.DoesNotContain(sa.Keys, k => k.Contains("rope"));      // rotary tables are not checkpoint state
    }

    [Theory]
    [InlineData("learned")]
    [InlineData("rope")]
    public void ForwardReturnsLogitsOfShapeBatchTimeVocabulary(string positions)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(positions);
        var logits = model.Forward(randint(TinyModels.Vocabulary, [3, 5]));
        Assert.Equal([3, 5, TinyModels.Vocabulary], logits.shape);
        Assert.Equal(32, model.ContextLength);
        Assert.Equal(TinyModels.Vocabulary, model.VocabularySize);
        Assert.Equal(DeviceType.CPU, model.Device.type);
    }

    [Theory]
    [InlineData("learned")]
    [InlineData("rope")]
    public void ChangingALaterTokenLeavesEarlierLogitsUnchanged(string positions)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(positions);
        var tokens = TinyModels.Tokens(new long[,] { { 1, 4, 5, 6, 7, 8, 9 } });
        var changed = tokens.clone();
        changed[0, 4] = tensor(12L);
        var (x, y) = (model.Forward(tokens), model.Forward(changed));
        Assert.True(TinyModels.MaxDifference(x.narrow(1, 0, 4), y.narrow(1, 0, 4)) == 0, "logits before the change moved");
        Assert.True(TinyModels.MaxDifference(x.narrow(1, 4, 3), y.narrow(1, 4, 3)) > 1e-4, "logits from the change on did not move");
    }

    [Theory]
    [InlineData("learned")]
    [InlineData("rope")]
    public void LeftPaddingGivesTheSameLogitsAsNoPadding(string positions)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(positions);
        // Row 0 has 3 positions of padding (the id is arbitrary: attention must ignore it), row 1 none.
        var padded = TinyModels.Tokens(new long[,] { { 11, 11, 11, 1, 5, 6, 7, 8 }, { 1, 3, 4, 9, 10, 2, 6, 5 } });
        using var cache = model.CreateDecodingState(tensor(new long[] { 3, 0 }), capacity: 8);
        var logits = model.Forward(padded, cache);

        var row0 = model.Forward(padded.narrow(0, 0, 1).narrow(1, 3, 5));
        var row1 = model.Forward(padded.narrow(0, 1, 1));
        Assert.True(TinyModels.MaxDifference(logits.narrow(0, 0, 1).narrow(1, 3, 5), row0) < Tolerance);
        Assert.True(TinyModels.MaxDifference(logits.narrow(0, 1, 1), row1) < Tolerance);
        Assert.False(logits.isnan().any().item<bool>(), "padding positions produced NaN");
    }

    [Theory]
    [InlineData("learned")]
    [InlineData("rope")]
    public void CachedForwardEqualsFullForward(string positions)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(positions);
        var tokens = randint(TinyModels.Vocabulary, [2, 12], generator: new Generator(3));
        var full = model.Forward(tokens);

        using var cache = model.CreateDecodingState(zeros(2, dtype: int64), capacity: 12);
        var parts = new List<Tensor> { model.Forward(tokens.narrow(1, 0, 5), cache) };        // a prompt of 5
        parts.Add(model.Forward(tokens.narrow(1, 5, 3), cache));                                // a chunk of 3
        for (int t = 8; t < 12; t++) parts.Add(model.Forward(tokens.narrow(1, t, 1), cache));  // then one at a time
        Assert.Equal(12, cache.Length);
        Assert.True(TinyModels.MaxDifference(cat(parts, 1), full) < Tolerance);
        Assert.Throws<ArgumentException>(() => model.Forward(tokens.narrow(1, 0, 1), cache));  // full
    }

    [Theory]
    [InlineData(new long[] { 5, 0, 3 }, new[] { 2, 0, 1 })]                            // a reordering: every row moves
    [InlineData(new long[] { 0, 5, 2 }, new[] { 0, 2, 1 })]                            // dropping rows 1, 3, 4 by moving row 5 into place 1
    [InlineData(new long[] { 4, 4, 0, 1, 2, 3, 5, 5 }, new[] { 2, 2, 0, 0, 1, 1, 2, 2 })]   // more rows than the cache holds
    public void SelectKeepsRowsAndRepeatInterleavesThemWithTheirPadding(long[] rows, int[] expectedPrompt)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create("rope");
        long[][] prompts = [[1, 4, 5], [1, 6, 7, 8, 9], [1, 10]];
        var padded = TinyModels.Tokens(new long[,] { { 0, 0, 1, 4, 5 }, { 1, 6, 7, 8, 9 }, { 0, 0, 0, 1, 10 } });
        using var cache = model.CreateDecodingState(tensor(new long[] { 2, 0, 3 }), capacity: 7);
        model.Forward(padded, cache);

        cache.Repeat(2);                                         // rows 0, 0, 1, 1, 2, 2
        Assert.Equal(6, cache.BatchSize);
        cache.Select(tensor(rows));
        Assert.Equal((rows.Length, 5L, 7L), (cache.BatchSize, cache.Length, cache.Capacity));

        long[] next = [.. rows.Select((_, i) => 3L + i)];
        var logits = model.Forward(tensor(next).view(-1, 1), cache);        // (rows, 1, V)
        for (int i = 0; i < rows.Length; i++)
        {
            var sequence = tensor(prompts[expectedPrompt[i]].Append(next[i]).ToArray()).view(1, -1);
            var reference = model.Forward(sequence).narrow(1, -1, 1);
            Assert.True(TinyModels.MaxDifference(logits.narrow(0, i, 1), reference) < Tolerance, $"row {i} does not continue prompt {expectedPrompt[i]}");
        }
    }

    // Width and heads of a model whose decode steps run the kernel (head size 8), and of one whose run the fused fallback (6).
    public static TheoryData<int, int> KernelAndFallback => new() { { 32, 4 }, { 24, 4 } };

    // A prefill of many rows runs a chunk of rows at a time (to reuse its activations' memory); here every row is a
    // chunk of its own, and the logits and what the cache then holds must be those of one pass over all rows.
    [Theory]
    [MemberData(nameof(KernelAndFallback))]
    public void APrefillInRowChunksGivesTheWholePrefillsLogitsAndCache(int width, int heads)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create("rope", width: width, heads: heads);
        var padding = tensor(new long[] { 2, 0, 3 });
        var prompts = TinyModels.Tokens(new long[,] { { 0, 0, 1, 4, 5 }, { 1, 6, 7, 8, 9 }, { 0, 0, 0, 1, 10 } });
        using var whole = model.CreateDecodingState(padding, capacity: 7);
        using var chunked = (KeyValueCache)model.CreateDecodingState(padding, capacity: 7);
        var expected = model.Forward(prompts, whole);
        var logits = chunked.InRowChunks(prompts, widest: KeyValueCache.ChunkFloats, chunk => model.Forward(chunk, chunked));   // one row a chunk
        Assert.Equal(5L, chunked.Length);
        Assert.True(TinyModels.MaxDifference(logits, expected) < Tolerance);
        var next = tensor(new long[] { 3, 4, 5 }).view(-1, 1);
        Assert.True(TinyModels.MaxDifference(model.Forward(next, chunked), model.Forward(next, whole)) < Tolerance);
    }

    // A prompt fed in pieces: in the first, row 0 has nothing but padding (it is fed whole, its padding masked); in
    // the second, rows of different padding are fed apart, row 0's last padding position left out. The next token's
    // logits must be the unpadded prompts', even where the cache's memory held NaN before (stale memory is reused).
    [Theory]
    [MemberData(nameof(KernelAndFallback))]
    public void APromptFedInPiecesThroughPaddingGivesTheUnpaddedLogits(int width, int heads)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create("rope", width: width, heads: heads);
        long[][] prompts = [[1, 4], [1, 6, 7, 8, 9, 10]];
        var padded = TinyModels.Tokens(new long[,] { { 0, 0, 0, 0, 1, 4 }, { 1, 6, 7, 8, 9, 10 } });
        using var memory = new CacheMemory();
        memory.Return(full(1 << 16, float.NaN).DetachFromDisposeScope());                     // what the cache's stores will be carved from
        memory.Return(full(1 << 16, float.NaN).DetachFromDisposeScope());
        using var cache = new KeyValueCache(2, heads, width / heads, tensor(new long[] { 4, 0 }), 8, ScalarType.Float32, CPU, memory);
        model.Forward(padded.narrow(1, 0, 3), cache);
        model.Forward(padded.narrow(1, 3, 3), cache);
        var logits = model.Forward(tensor(new long[] { 5, 11 }).view(-1, 1), cache);
        for (int i = 0; i < 2; i++)
        {
            var reference = model.Forward(tensor(prompts[i].Append(i == 0 ? 5L : 11L).ToArray()).view(1, -1)).narrow(1, -1, 1);
            Assert.True(TinyModels.MaxDifference(logits.narrow(0, i, 1), reference) < Tolerance, $"row {i}");
        }
    }

    // After Repeat, rows share their prompt's keys and values and write their own positions apart; Select and Repeat
    // after decoding must keep each row's own positions with it, a row listed twice included.
    [Theory]
    [MemberData(nameof(KernelAndFallback))]
    public void RowsKeepTheirOwnPositionsThroughSelectAndRepeatAfterDecoding(int width, int heads)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create("rope", width: width, heads: heads);
        long[][] prompts = [[1, 4, 5], [1, 6, 7, 8, 9]];
        using var cache = model.CreateDecodingState(tensor(new long[] { 2, 0 }), capacity: 10);
        model.Forward(TinyModels.Tokens(new long[,] { { 0, 0, 1, 4, 5 }, { 1, 6, 7, 8, 9 } }), cache);
        cache.Repeat(2);                                                     // rows: prompt 0, 0, 1, 1
        var sequences = new List<List<long>> { new(prompts[0]), new(prompts[0]), new(prompts[1]), new(prompts[1]) };

        Tensor logits = null!;
        void Feed(params long[] next)
        {
            for (int i = 0; i < next.Length; i++) sequences[i].Add(next[i]);
            logits = model.Forward(tensor(next).view(-1, 1), cache);       // (rows, 1, V)
        }
        void Keep(params int[] rows)
        {
            cache.Select(tensor(rows.Select(r => (long)r).ToArray()));
            var kept = rows.Select(r => new List<long>(sequences[r])).ToList();
            sequences.Clear();
            sequences.AddRange(kept);
        }

        Feed(2, 3, 10, 11);
        Feed(12, 2, 3, 4);
        Keep(3, 0, 3);                                                       // a reordering with a row listed twice
        Feed(5, 6, 7);
        cache.Repeat(2);
        sequences = [.. sequences.SelectMany(q => new[] { new List<long>(q), new List<long>(q) })];
        Feed(8, 9, 10, 11, 12, 2);

        for (int i = 0; i < sequences.Count; i++)
        {
            var reference = model.Forward(tensor(sequences[i].ToArray()).view(1, -1)).narrow(1, -1, 1);
            Assert.True(TinyModels.MaxDifference(logits.narrow(0, i, 1), reference) < Tolerance, $"row {i} does not continue its own sequence");
        }
    }

    // A bfloat16 state computes the blocks on a copy of the weights rounded to bfloat16, and the final norm and head in
    // float32: its logits are the float32 forward's to bfloat16's rounding, through the kernel (head size 8) and the
    // fused fallback (head size 6), and follow the weights as they are when the state is made.
    [Theory]
    [InlineData("learned", 32, 4)]
    [InlineData("rope", 32, 4)]
    [InlineData("rope", 24, 4)]
    public void ABFloat16StateGivesTheFullForwardsLogitsToItsRoundingWithTheWeightsOfItsMaking(string positions, int width, int heads)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(positions, width: width, heads: heads);
        int parameters = model.parameters().Count();
        var tokens = randint(TinyModels.Vocabulary, [2, 12], generator: new Generator(3));

        Tensor Decoded()
        {
            using var cache = model.CreateDecodingState(zeros(2, dtype: int64), capacity: 12, ScalarType.BFloat16);
            var parts = new List<Tensor> { model.Forward(tokens.narrow(1, 0, 5), cache) };
            for (int t = 5; t < 12; t++) parts.Add(model.Forward(tokens.narrow(1, t, 1), cache));
            return cat(parts, 1);
        }

        var decoded = Decoded();
        Assert.Equal(ScalarType.Float32, decoded.dtype);
        Assert.True(TinyModels.MaxDifference(decoded, model.Forward(tokens)) < BFloat16Tolerance, $"max |difference| {TinyModels.MaxDifference(decoded, model.Forward(tokens))}");
        Assert.True(TinyModels.MaxDifference(decoded, model.Forward(tokens)) > 0, "bfloat16 gave float32's logits exactly: it did not run in bfloat16");

        using (no_grad())
        using (var g = new Generator(5))
            foreach (var weight in model.parameters()) weight.add_(randn(weight.shape, generator: g) * 0.05);
        var changed = model.Forward(tokens);
        Assert.True(TinyModels.MaxDifference(Decoded(), changed) < BFloat16Tolerance, "a new state did not take the changed weights");
        Assert.Equal(parameters, model.parameters().Count());                                   // the copy is no submodule
    }

    [Theory]
    [InlineData("learned")]
    [InlineData("rope")]
    public void AModelOutlivesTheDisposeScopeItWasCreatedIn(string positions)
    {
        GptModel model;
        using (var scope = NewDisposeScope()) model = TinyModels.Create(positions);
        using (model)
        using (var scope = NewDisposeScope())
            Assert.Equal([1, 3, TinyModels.Vocabulary], model.Forward(zeros(1, 3, dtype: int64)).shape);
    }

    [Fact]
    public void ForwardRejectsMoreTokensThanTheContextLength()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(context: 8);
        var error = Assert.Throws<ArgumentException>(() => model.Forward(zeros(1, 9, dtype: int64)));
        Assert.Contains("ContextLength", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateDecodingState(zeros(1, dtype: int64), 9));
    }

    [Theory]
    [InlineData("learned")]
    [InlineData("rope")]
    public void EveryParameterReceivesAGradient(string positions)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(positions);
        model.Forward(randint(TinyModels.Vocabulary, [2, 6])).square().sum().backward();
        var parameters = model.named_parameters().ToList();
        Assert.Equal(positions == "learned" ? 28 : 27, parameters.Count);
        Assert.All(parameters, p => Assert.True(p.parameter.grad is not null && p.parameter.grad.abs().sum().item<float>() > 0, $"{p.name} got no gradient"));
    }

    [Fact]
    public void TrainingWithAdamWLowersTheLossOnAToySequence()
    {
        using var model = TinyModels.Create(seed: 5);
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2, weight_decay: 0.1);
        // Each row counts up modulo the vocabulary from a different start: the next token is always predictable.
        var data = new long[8, 17];
        for (int b = 0; b < 8; b++)
            for (int t = 0; t < 17; t++) data[b, t] = (b + t) % TinyModels.Vocabulary;
        using var sequences = tensor(data);
        using var x = sequences.narrow(1, 0, 16);
        using var y = sequences.narrow(1, 1, 16);

        float first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = F.cross_entropy(model.Forward(x).view(-1, TinyModels.Vocabulary), y.reshape(-1));
            loss.backward();
            optimizer.step();
            last = loss.item<float>();                             // sync point
            if (step == 0) first = last;
        }
        Assert.True(last < 0.5f * first, $"loss went from {first} to {last}");
    }
}
