// The update that SFT and rejection sampling share: one teacher-forced step on (prompt, completion) pairs with the
// loss on completion tokens only, AdamW with warm-up + cosine, and gradient clipping (the body of nanoGPT's train.py
// loop). It owns the optimiser and the step counter, and saves both.
using System.Diagnostics;
using System.Text.Json;
using Rlvr.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlvr.FineTuning;

internal sealed class TeacherForcedTrainer : IDisposable
{
    private const string OptimizerFile = "fine-tuning-optimizer.bin";
    private const string StateFile = "fine-tuning-state.json";

    private readonly TrainingContext _context;
    private readonly FineTuningOptions _options;
    private readonly string _algorithm;      // the component name, recorded in the saved state
    private readonly string _section;        // where the options came from, for error messages
    private readonly List<Parameter> _parameters;
    private readonly AdamW _optimizer;

    public TeacherForcedTrainer(TrainingContext context, FineTuningOptions options, string algorithm, string section)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        (_context, _options, _algorithm, _section) = (context, options, algorithm, section);
        _parameters = [.. context.Policy.Module.parameters()];
        // TorchSharp 0.107 keeps AdamW's moments out of any open dispose scope, so a host scope around Begin is safe
        // (SessionStateTests checks it).
        _optimizer = Optimization.AdamW(_parameters, options.LearningRate, options.WeightDecay, options.Beta1, options.Beta2);
    }

    // The number of steps taken: the schedule's position, saved and restored with the optimiser.
    public int Steps { get; private set; }

    // One step on `examples` (none: no update, but the schedule still advances). `started` is the
    // Stopwatch timestamp at which the caller's step began, so step_time_s covers sampling as well.
    public Dictionary<string, double> Step(IReadOnlyList<(string Prompt, string Completion)> examples, long started)
    {
        double lr = LearningRateSchedule.At(Steps, _context.TotalSteps, _options.WarmupSteps, _options.LearningRate,
            _options.LearningRate * _options.MinLearningRateRatio);
        var (loss, gradNorm, tokens) = examples.Count > 0 ? Update(examples, lr) : (double.NaN, 0.0, 0L);
        Steps++;

        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new()
        {
            ["loss"] = loss,                   // token-mean cross-entropy before the update; NaN when nothing was trained on
            ["lr"] = lr,
            ["grad_norm"] = gradNorm,          // before clipping
            ["tokens"] = tokens,               // supervised (completion + end) tokens
            ["tokens_per_s"] = tokens / Math.Max(seconds, 1e-9),
            ["step_time_s"] = seconds,
        };
    }

    private (double Loss, double GradNorm, long Tokens) Update(IReadOnlyList<(string Prompt, string Completion)> examples, double lr)
    {
        using var scope = NewDisposeScope();
        var policy = _context.Policy;
        var tokenizer = _context.Tokenizer;

        // TokenBatch masks targets by token position, so the prompt is measured in tokens (= characters only for a
        // character tokenizer). Its target t predicts token t+1: with P prompt tokens after BOS, targets P.. are the
        // completion and the end token.
        var promptTokens = examples.Select(e => tokenizer.Encode(e.Prompt).Length).ToArray();
        var (inputs, targets, supervised) = _context.Tool is { } tool
            ? ToolBatch(examples, promptTokens, tool)
            : TokenBatch.Create(tokenizer, [.. examples.Select(e => e.Prompt + e.Completion)], policy.Device, i => promptTokens[i]);
        if (inputs.shape[1] > policy.ContextLength)
            throw new InvalidOperationException($"{_algorithm}: a prompt and its completion take {inputs.shape[1]} tokens, more than the policy's context of {policy.ContextLength}; raise the model's ContextLength or lower the task's difficulty.");

        bool wasTraining = policy.Module.training;
        policy.Module.train();
        try
        {
            _optimizer.SetLearningRate(lr);
            var logits = policy.Forward(inputs);                                       // (B, T, V)
            var loss = CompletionCrossEntropy(logits, targets);
            double lossValue = loss.item<float>();                                     // CPU–GPU sync point; checked before any update
            if (!double.IsFinite(lossValue)) throw NotFinite("loss", lossValue, lr);

            _optimizer.zero_grad();
            loss.backward();
            // max_norm = ∞ only measures: the clip coefficient is clamped to 1.
            double gradNorm = nn.utils.clip_grad_norm_(_parameters, _options.GradClip > 0 ? _options.GradClip : double.PositiveInfinity);   // sync point
            if (!double.IsFinite(gradNorm)) throw NotFinite("gradient norm", gradNorm, lr);
            _optimizer.step();
            return (lossValue, gradNorm, supervised);
        }
        finally
        {
            if (!wasTraining) policy.Module.eval();
        }
    }

    /// L = −(1/N) Σ_{t : m_t = 1} log p(y_t | y_<t): prompt and padding targets hold TokenBatch.IgnoreIndex.
    public static Tensor CompletionCrossEntropy(Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1), ignore_index: TokenBatch.IgnoreIndex);

    private ArithmeticException NotFinite(string what, double value, double lr) => new(
        $"{_algorithm}: the {what} is {value} at step {Steps + 1} (lr {lr:G3}); the update was not applied. " +
        $"Lower {_section}:LearningRate ({_options.LearningRate:G3}), raise {_section}:WarmupSteps ({_options.WarmupSteps}) " +
        $"or set {_section}:GradClip ({_options.GradClip:G3}).");

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        WriteAtomically(Path.Combine(folder, OptimizerFile), _optimizer.save_state_dict);
        WriteAtomically(Path.Combine(folder, StateFile), temp => File.WriteAllText(temp, JsonSerializer.Serialize(new SavedState(_algorithm, Steps))));
    }

    public void Load(string folder)
    {
        string statePath = Path.Combine(folder, StateFile), optimizerPath = Path.Combine(folder, OptimizerFile);
        foreach (var path in new[] { statePath, optimizerPath })
            if (!File.Exists(path)) throw new FileNotFoundException($"{_algorithm}: no saved session in {folder}: {Path.GetFileName(path)} is missing.", path);

        SavedState? saved;
        try { saved = JsonSerializer.Deserialize<SavedState>(File.ReadAllText(statePath)); }
        catch (JsonException e) { throw new InvalidDataException($"{statePath} is not a fine-tuning session state: {e.Message}", e); }
        if (saved is null || saved.Algorithm != _algorithm || saved.Steps < 0)
            throw new InvalidDataException($"{statePath} holds a '{saved?.Algorithm}' session, not a '{_algorithm}' one.");

        // Restores the moments, Adam's own step counts and each group's hyper-parameters as saved.
        try { _optimizer.load_state_dict(optimizerPath); }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"{optimizerPath} does not hold this policy's optimiser state: {e.Message}", e);
        }
        Steps = saved.Steps;
    }

    // Readers see the old file or the new one, never half of one: write beside it, flush, rename over it.
    private static void WriteAtomically(string path, Action<string> write)
    {
        string temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            write(temp);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public void Dispose() => _optimizer.Dispose();

    private sealed record SavedState(string Algorithm, int Steps);

    // With a tool, the completion's tool outputs are encoded on their own and are no targets, as in pretraining.
    private (Tensor Inputs, Tensor Targets, long Supervised) ToolBatch(IReadOnlyList<(string Prompt, string Completion)> examples, int[] promptTokens, Tools.ITool tool)
    {
        var tokenizer = _context.Tokenizer;
        var traces = examples.Select(e => ToolTrace.Sequence(tokenizer, tool, e.Prompt, e.Completion)).ToArray();
        // Target t predicts id t + 1: supervised past the prompt, where the model wrote that id.
        return TokenBatch.Create([.. traces.Select(s => s.Ids)], tokenizer.Pad, _context.Policy.Device,
            (b, t) => t >= promptTokens[b] && !traces[b].ToolWritten[t + 1]);
    }
}
