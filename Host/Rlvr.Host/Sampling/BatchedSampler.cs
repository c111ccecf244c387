// Batched sampling from any ICausalLanguageModel. Prompts are left-padded and encoded once; each prompt's decoding
// state (keys and values, or a recurrent state) is shared by its G completions (Repeat); finished rows leave the
// batch (Select). One seeded generator draws a uniform number per row and step, used by an inverse-CDF draw, so a
// row's tokens depend on the seed and its own logits only, never on which other rows are still running. Recompute mode is the state-free reference.
// With a tool in the loop, a row whose text ends with a call is fed the tool's output token by token in the steps
// that follow (its drawn tokens are discarded), so all rows still advance together through one state.
using System.ComponentModel.DataAnnotations;
using Rlvr.Models;
using TorchSharp;
using Rlvr.Training;
using static TorchSharp.torch;

namespace Rlvr.Sampling;

public sealed class BatchedSampler(SamplingOptions options)
{
    private readonly SamplingOptions _options = Validated(options);
    /// <summary>Calls made so far: each call's seed derives from it, so restoring it resumes the same draws.</summary>
    public long Calls { get; set; }

    public SamplingOptions Options => _options;

    /// <summary>Samples <paramref name="groupSize"/> completions of every prompt; row i belongs to prompt i / G.</summary>
    /// <param name="prompts">Token ids of each prompt, BOS first.</param>
    /// <param name="eos">The id that ends a row; an id the model never produces (such as -1) lets every row run to MaxNewTokens.</param>
    /// <param name="pad">The id fed at padding positions; attention ignores them, so any valid id will do.</param>
    /// <param name="seed">This call's seed; by default derived from <see cref="SamplingOptions.Seed"/> and the number of earlier calls.</param>
    /// <param name="maxNewTokens">This call's budget of new tokens, when it must be below <see cref="SamplingOptions.MaxNewTokens"/>.</param>
    /// <param name="tools">A tool the rows may call; its output tokens count against the budget.</param>
    /// <exception cref="ArgumentException">A prompt plus the budget of new tokens is longer than the model's ContextLength.</exception>
    public IReadOnlyList<SampledCompletion> Sample(ICausalLanguageModel model, IReadOnlyList<int[]> prompts, int groupSize, int eos, int pad = 0, long? seed = null,
        int? maxNewTokens = null, ToolLoop? tools = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        if (pad < 0 || pad >= model.VocabularySize) throw new ArgumentOutOfRangeException(nameof(pad), pad, $"The padding id must be a token id below {model.VocabularySize}.");
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p is null || p.Length == 0)) throw new ArgumentException("Every prompt needs at least one token (BOS).", nameof(prompts));
        int longest = prompts.Max(p => p.Length);
        int budget = Math.Min(maxNewTokens ?? _options.MaxNewTokens, _options.MaxNewTokens);
        if (longest + budget > model.ContextLength)
            throw new ArgumentException(
                $"The longest prompt ({longest} tokens) plus MaxNewTokens ({budget}) is {longest + budget} positions, " +
                $"more than the model's ContextLength of {model.ContextLength}. Shorten the prompts or lower MaxNewTokens.", nameof(prompts));

        ulong callSeed = seed is long s ? unchecked((ulong)s) : SeedStream.Mix(_options.Seed, Calls);
        Calls++;
        var rows = Enumerable.Range(0, prompts.Count * groupSize).Select(i => new Row(i / groupSize)).ToArray();
        bool wasTraining = model.Module.training;
        model.Module.eval();                                      // no dropout while sampling
        try
        {
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            using var generator = new Generator(callSeed);  // CPU-only in libtorch; drawing there keeps the draws the same on every device
            var recorder = new Recorder(rows, eos, tools);
            if (_options.Recompute) SampleRecomputing(model, prompts, rows, recorder, generator, budget);
            else SampleCached(model, prompts, groupSize, rows, recorder, pad, generator, budget);
        }
        finally
        {
            if (wasTraining) model.Module.train();
        }
        return rows.Select(r => new SampledCompletion(r.Prompt, [.. r.Tokens], [.. r.LogProbs], Truncated: !r.Done,
            tools is null ? null : [.. r.ToolWritten], r.ToolError)).ToArray();
    }

    private void SampleCached(ICausalLanguageModel model, IReadOnlyList<int[]> prompts, int G, Row[] rows, Recorder recorder, int pad, Generator generator, int budget)
    {
        int P = prompts.Count, N = rows.Length, longest = prompts.Max(p => p.Length);
        var device = model.Device;

        // Encode every prompt once, left-padded to the longest, then share its decoding state with its G completions.
        var ids = new long[P * longest];
        var left = new long[P];
        for (int p = 0; p < P; p++)
        {
            left[p] = longest - prompts[p].Length;
            for (int t = 0; t < longest; t++) ids[p * longest + t] = t < left[p] ? pad : prompts[p][t - left[p]];
        }
        using var state = CreateDecodingState(model, tensor(left, device: device), longest + budget - 1);
        var logits = model.Forward(tensor(ids, [P, longest], device: device), state)
            .select(1, -1).repeat_interleave(G, 0);                          // (N, V): the next-token logits of each row
        state.Repeat(G);

        var slots = Enumerable.Range(0, N).ToArray();                        // slot i of the batch holds row slots[i]
        Tensor? slotRows = null;                                             // slots on the device; null while slots[i] == i
        for (int t = 0; ; t++)
        {
            using var step = NewDisposeScope();
            var u = rand(N, generator: generator).to(device);                 // one draw per row and step, used or not
            if (slotRows is not null) u = u.index_select(0, slotRows);
            var (next, logProbs) = Draw(logits, u);                          // (n), (n)
            int finished = recorder.Record(slots, next, logProbs, out var fed);   // sync point: the tokens come to the CPU
            if (t == budget - 1 || finished == slots.Length) break;
            if (fed is not null) next = tensor(fed, device: device);        // a tool wrote some rows' tokens

            if (finished > 0)                                                // drop finished rows from the batch
            {
                var kept = KeepRunning(slots, rows);
                var index = tensor(kept.Select(i => (long)i).ToArray(), device: device);
                state.Select(index);
                next = next.index_select(0, index);
                slots = kept.Select(i => slots[i]).ToArray();
                slotRows?.Dispose();
                slotRows = tensor(slots.Select(r => (long)r).ToArray(), device: device).MoveToOuterDisposeScope();
            }
            var previous = logits;
            logits = model.Forward(next.view(-1, 1), state).select(1, 0).MoveToOuterDisposeScope();   // (n, V)
            previous.Dispose();
        }
    }

    private IDecodingState CreateDecodingState(ICausalLanguageModel model, Tensor leftPadding, long capacity) => _options.Precision switch
    {
        null => model.CreateDecodingState(leftPadding, capacity),
        ScalarType precision when model is IDecodingPrecision narrowable => narrowable.CreateDecodingState(leftPadding, capacity, precision),
        ScalarType precision => throw new ArgumentException($"Sampling in {precision} needs a model that decodes in a narrower type (IDecodingPrecision); {model.GetType().Name} does not.", nameof(model)),
    };

    // The reference: no decoding state and no padding. Rows whose prompts have the same length grow in step, so each such set
    // is one plain causal forward over its full sequences, every token.
    private void SampleRecomputing(ICausalLanguageModel model, IReadOnlyList<int[]> prompts, Row[] rows, Recorder recorder, Generator generator, int budget)
    {
        var device = model.Device;
        for (int t = 0; t < budget; t++)
        {
            using var step = NewDisposeScope();
            var u = rand(rows.Length, generator: generator).to(device);
            var order = new List<int>();
            var logits = new List<Tensor>();
            foreach (var group in Enumerable.Range(0, rows.Length).Where(r => !rows[r].Done).GroupBy(r => prompts[rows[r].Prompt].Length))
            {
                int[] members = [.. group];
                int T = group.Key + t;
                var ids = new long[members.Length * T];
                for (int i = 0; i < members.Length; i++)
                {
                    var (prompt, completion) = (prompts[rows[members[i]].Prompt], rows[members[i]].Tokens);
                    for (int j = 0; j < T; j++) ids[i * T + j] = j < prompt.Length ? prompt[j] : completion[j - prompt.Length];
                }
                logits.Add(model.Forward(tensor(ids, [members.Length, T], device: device)).select(1, -1));   // (n, V)
                order.AddRange(members);
            }
            if (order.Count == 0) break;
            var (next, logProbs) = Draw(cat(logits, 0), u.index_select(0, tensor(order.Select(r => (long)r).ToArray(), device: device)));
            recorder.Record([.. order], next, logProbs, out _);
        }
    }

    /// x ~ softmax(logits / τ) restricted to the smallest set of top tokens with mass ≥ p (nucleus, arXiv:1904.09751),
    /// by inverse CDF: x = the first token whose cumulative mass reaches (1 − u)·total. Returns x and
    /// log softmax(logits / τ)[x]: the nucleus decides how x is drawn, but the policy that training optimises is the
    /// tempered distribution (verl takes lp_old so too); greedy (τ = 0) returns the argmax with log-probability 0.
    private (Tensor Tokens, Tensor LogProbs) Draw(Tensor logits, Tensor u)   // logits (n, V), u (n) in [0, 1)
    {
        if (_options.Temperature == 0) return (logits.argmax(1), zeros(logits.shape[0], device: logits.device));
        long V = logits.shape[1];
        var logp = (_options.Temperature == 1 ? logits : logits / _options.Temperature).log_softmax(1);   // (n, V)
        var target = (1 - u).unsqueeze(1);                                                              // (n, 1) in (0, 1]
        if (_options.TopP >= 1)
        {
            var cdf = logp.exp().cumsum(1);                                                             // (n, V)
            var x = (cdf < target * cdf.narrow(1, V - 1, 1)).sum(1, keepdim: true).clamp_max(V - 1);   // (n, 1)
            return (x.squeeze(1), logp.gather(1, x).squeeze(1));
        }
        var (sorted, order) = logp.exp().sort(1, descending: true);                                     // (n, V)
        var kept = sorted * ((sorted.cumsum(1) - sorted) < _options.TopP);                              // mass before a token < p
        var keptCdf = kept.cumsum(1);
        var total = keptCdf.narrow(1, V - 1, 1);                                                        // (n, 1)
        var j = (keptCdf < target * total).sum(1, keepdim: true).clamp_max(V - 1);                      // (n, 1), rank of x
        var drawn = order.gather(1, j);                                                                 // (n, 1)
        return (drawn.squeeze(1), logp.gather(1, drawn).squeeze(1));
    }

    // The slots to keep: running slots stay where they are and the running slots past the new batch size move into
    // the places of finished ones, so the state copies only those rows (measured at 2,048 rows: dropping at once is
    // as fast as or faster than waiting for 1/16 or 1/8 of the batch to finish).
    private static int[] KeepRunning(int[] slots, Row[] rows)
    {
        int n = slots.Count(r => !rows[r].Done);
        var movers = new Queue<int>(Enumerable.Range(n, slots.Length - n).Where(i => !rows[slots[i]].Done));
        return Enumerable.Range(0, n).Select(i => rows[slots[i]].Done ? movers.Dequeue() : i).ToArray();
    }

    // Appends each slot's token to its row unless the row had finished: the drawn one, or the next one a tool wrote.
    private sealed class Recorder(Row[] rows, int eos, ToolLoop? tools)
    {
        /// <returns>How many rows finished now.</returns>
        /// <param name="fed">The tokens to feed next, where a tool wrote any of them; otherwise null (feed the drawn ones).</param>
        public int Record(int[] slots, Tensor tokens, Tensor logProbs, out long[]? fed)
        {
            long[] ids = tokens.cpu().data<long>().ToArray();
            float[] lp = logProbs.cpu().data<float>().ToArray();
            int finished = 0;
            fed = null;
            for (int i = 0; i < slots.Length; i++)
            {
                var row = rows[slots[i]];
                if (row.Done) continue;
                if (row.Pending.TryDequeue(out int written))
                {
                    row.Append(written, 0f, byTool: true);
                    fed ??= ids;
                    ids[i] = written;
                    continue;
                }
                row.Append((int)ids[i], lp[i], byTool: false);
                if (ids[i] == eos) { row.Done = true; finished++; continue; }
                if (tools is null) continue;
                var step = tools.After(row.Tokens);
                if (step.Error is not null) { (row.Done, row.ToolError) = (true, step.Error); finished++; }
                foreach (int token in step.Output) row.Pending.Enqueue(token);
            }
            return finished;
        }
    }

    private static SamplingOptions Validated(SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);   // the [Range]s
        if (options.Recompute && options.Precision is not null)
            throw new ArgumentException("Recompute is the reference in the model's own type; it takes no Precision.", nameof(options));
        return options;
    }

    private sealed class Row(int prompt)
    {
        public int Prompt { get; } = prompt;
        public List<int> Tokens { get; } = [];
        public List<float> LogProbs { get; } = [];
        public List<bool> ToolWritten { get; } = [];
        public Queue<int> Pending { get; } = new();                   // tool output still to feed
        public bool Done { get; set; }
        public string? ToolError { get; set; }

        public void Append(int token, float logProb, bool byTool)
        {
            Tokens.Add(token);
            LogProbs.Add(logProb);
            ToolWritten.Add(byTool);
        }
    }
}
