// A study: for every seed, the base run (pretrain + evaluate), then every arm under "Arms", each in its own host so
// that its components and options are its own, each starting from the base or from the arm it names in Train:From.
// With RlSeeds, the arms run once per RL seed from the same base. Each (seed, RL seed) is a unit: its base (computed
// by the first unit of the seed, reused by the others) and its arms. Units are independent; with Run:Parallel > 1
// several run at once, each on its own thread, and a unit whose base another is computing waits on the base's lock.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TorchSharp;
using Rlvr.Host.Configuration;
using Rlvr.Host.Runs;
using Rlvr.Host.Training;

namespace Rlvr.Host.Studies;

/// <summary>One seed's base run and every arm's result under one RL seed (null without RlSeeds), in the order they ran.</summary>
public sealed record SeedResult(int Seed, PipelineResult Base, IReadOnlyList<ArmResult> Arms, int? RlSeed = null);

/// <summary>Every unit's results, in the order of the study's seeds and, within a seed, of its RL seeds.</summary>
public sealed record StudyResult(IReadOnlyList<SeedResult> Seeds)
{
    /// <summary>The first seed's base run.</summary>
    public PipelineResult Base => Seeds[0].Base;

    /// <summary>The first seed's arms.</summary>
    public IReadOnlyList<ArmResult> Arms => Seeds[0].Arms;
}

/// <summary>
/// One unit of work a scheduler can hand out: one arm of one seed and RL seed (null without RlSeeds), with what it
/// starts from (the seed's base, and the arms named in Train:From under the same RL seed). In a study without arms a
/// task is the base run of one seed.
/// </summary>
public sealed record StudyTask(int Index, int Seed, string Arm, int? RlSeed = null);

/// <summary>Runs a whole study, or one of its tasks, on the calling thread.</summary>
public sealed class StudyRunner(RlvrHostBuilder builder)
{
    /// <summary>The arms in an order where every arm runs after the arm it starts from.</summary>
    /// <exception cref="ConfigurationErrorsException">An arm's name is no folder name or one of the study's own, an arm starts from an unknown arm, or the arms start from each other in a cycle.</exception>
    public IReadOnlyList<string> ArmsInOrder()
    {
        var from = builder.Configuration.GetSection(RlvrHostBuilder.ArmsSection).GetChildren().ToDictionary(arm => arm.Key, arm => StartsFrom(arm.Key));
        var errors = from.Where(p => p.Value != RunPaths.BaseArm && !from.ContainsKey(p.Value))
            .Select(p => $"{RlvrHostBuilder.ArmsSection}:{p.Key}:{TrainOptions.Section}:{nameof(TrainOptions.From)} = '{p.Value}': no such arm; use \"{RunPaths.BaseArm}\" or one of {string.Join(", ", from.Keys)}")
            .Concat(from.Keys.Select(RunPaths.ArmNameError).OfType<string>())
            .ToList();
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);

        var order = DependencyOrder.Of([.. from.Keys], a => from[a] == RunPaths.BaseArm ? null : from[a]);
        return order.Count == from.Count ? order
            : throw new ConfigurationErrorsException($"{RlvrHostBuilder.ArmsSection}: the arms {string.Join(", ", from.Keys.Except(order))} start from each other in a cycle");
    }

    // The arm's Train:From: "base" or another arm.
    private string StartsFrom(string arm) =>
        RlvrHostBuilder.ArmConfiguration(builder.Configuration, arm)[$"{TrainOptions.Section}:{nameof(TrainOptions.From)}"] ?? RunPaths.BaseArm;

    /// <summary>
    /// The study's tasks, seed by seed, within a seed RL seed by RL seed, and within those arm by arm in
    /// <see cref="ArmsInOrder"/>: what <c>--index</c> numbers.
    /// </summary>
    /// <exception cref="ConfigurationErrorsException">The seeds, the RL seeds or the arms are misconfigured.</exception>
    public IReadOnlyList<StudyTask> Tasks()
    {
        var arms = ArmsInOrder() is { Count: > 0 } listed ? listed : [RunPaths.BaseArm];
        return [.. Units().SelectMany(unit => arms.Select(arm => (unit, arm))).Select((t, i) => new StudyTask(i, t.unit.Seed, t.arm, t.unit.RlSeed))];
    }

    // Every (seed, RL seed) of the study; without arms there is nothing for an RL seed to seed.
    private List<(int Seed, int? RlSeed)> Units()
    {
        var seeds = RlvrHostBuilder.Seeds(builder.Configuration);
        IReadOnlyList<int?> rlSeeds = ArmsInOrder().Count > 0 ? RlvrHostBuilder.RlSeeds(builder.Configuration) : [null];
        return [.. seeds.SelectMany(seed => rlSeeds.Select(rl => (seed, rl)))];
    }

    /// <summary>
    /// Every configuration error of the study, the base's and each arm's (prefixed by the arm), at once: what
    /// <c>rlvr validate</c> lists and what <c>rlvr run</c> refuses before any compute.
    /// </summary>
    public IReadOnlyList<string> Validate(IHost root)
    {
        var errors = root.Services.GetRequiredService<ConfigurationValidator>().Validate().ToList();
        IReadOnlyList<int>? seeds = null;
        try
        {
            seeds = RlvrHostBuilder.Seeds(builder.Configuration);
        }
        catch (ConfigurationErrorsException e)
        {
            errors.AddRange(e.Errors);
        }
        try
        {
            RlvrHostBuilder.RlSeeds(builder.Configuration);
        }
        catch (ConfigurationErrorsException e)
        {
            errors.AddRange(e.Errors);
        }
        // Whether the problems fit the context depends on the model, tokenizer and task alone: checked once for each configuration of them.
        var contexts = new Dictionary<string, string?>();
        string? ContextError(IHost host)
        {
            string key = RunFingerprint.Of(host.Services.GetRequiredService<IConfiguration>(), s_contextSections);
            if (!contexts.TryGetValue(key, out var error))
                contexts[key] = error = host.Services.GetRequiredService<TaskFitValidator>().ContextError(seeds!);
            return error;
        }
        if (errors.Count == 0 && ContextError(root) is { } context) errors.Add(context);

        IReadOnlyList<string> arms;
        try
        {
            arms = ArmsInOrder();
        }
        catch (ConfigurationErrorsException e)
        {
            return [.. errors, .. e.Errors];
        }
        foreach (var arm in arms)
        {
            using var host = builder.BuildArm(arm);
            var armErrors = host.Services.GetRequiredService<ConfigurationValidator>().Validate().ToList();
            if (string.IsNullOrEmpty(host.Services.GetRequiredService<IConfiguration>()[$"{ComponentSelection.Section}:{nameof(ComponentSelection.Algorithm)}"]))
                armErrors.Add($"{ComponentSelection.Section}:{nameof(ComponentSelection.Algorithm)}: required for an arm; name an algorithm (see `rlvr plugins`)");
            if (armErrors.Count == 0 && seeds is not null)
            {
                var fit = host.Services.GetRequiredService<TaskFitValidator>();
                armErrors.AddRange(fit.BandErrors());
                if (ContextError(host) is { } armContext) armErrors.Add(armContext);
                else if (armErrors.Count == 0) armErrors.AddRange(fit.RolloutErrors(seeds));
            }
            errors.AddRange(armErrors.Where(e => !errors.Contains(e)).Select(e => $"{RlvrHostBuilder.ArmsSection}:{arm} → {e}"));
        }
        return errors;
    }

    private static readonly string[] s_contextSections =
        [$"{ComponentSelection.Section}:Model", $"{ComponentSelection.Section}:Tokenizer", $"{ComponentSelection.Section}:Task", "Models", "Tokenizers", "Tasks", "Evaluation:Problems"];

    /// <summary>The file in the study's folder that holds its resolved configuration, for <c>rlvr resume</c>.</summary>
    public const string StudyFile = "study.json";

    /// <summary>Runs every unit: the seed's base, then each arm under the unit's RL seed. Finished runs of an unchanged configuration are reused, killed ones resumed.</summary>
    /// <param name="cancellation">Stops any stage between its steps or batches; what is checkpointed stays, and the next run resumes from it.</param>
    /// <param name="parallel">Units at once, in place of Run:Parallel: 1 after worker processes ran the tasks, so that what is left runs on this thread alone.</param>
    /// <exception cref="StudyRunsFailedException">Some runs failed, once every run that could go on has finished.</exception>
    public StudyResult Run(IHost root, CancellationToken cancellation = default, int? parallel = null)
    {
        var options = Prepare(root);
        var units = Units();
        var arms = ArmsInOrder();
        int atOnce = Math.Min(parallel ?? options.Parallel, units.Count);
        SetThreads(options, atOnce);
        var results = new SeedResult?[units.Count];
        var failures = new List<RunFailure>[units.Count];
        if (atOnce == 1)
        {
            for (int i = 0; i < units.Count; i++) (results[i], failures[i]) = RunSeed(units[i].Seed, units[i].RlSeed, arms, cancellation);
        }
        else
        {
            // Each unit runs start to end on one thread: TorchSharp's dispose scopes are per thread.
            Parallel.For(0, units.Count, new ParallelOptions { MaxDegreeOfParallelism = atOnce, CancellationToken = cancellation },
                i => (results[i], failures[i]) = RunSeed(units[i].Seed, units[i].RlSeed, arms, cancellation));
        }
        if (failures.Any(f => f.Count > 0)) throw new StudyRunsFailedException([.. failures.SelectMany(f => f)]);
        return new StudyResult([.. results.Select(r => r!)]);
    }

    /// <summary>
    /// Runs task <paramref name="index"/> of <see cref="Tasks"/>: its seed's base and the arms it starts from under its RL seed (each
    /// reused when another task finished it, waited for while another computes it), then its arm. Running every task,
    /// in any order and in any number of processes, gives the same results as <see cref="Run"/>.
    /// </summary>
    /// <exception cref="ConfigurationErrorsException">The study is misconfigured, or it has no task <paramref name="index"/>.</exception>
    /// <exception cref="StudyRunsFailedException">The task's arm, or a run it starts from, failed.</exception>
    public SeedResult RunTask(IHost root, int index, CancellationToken cancellation = default)
    {
        SetThreads(Prepare(root), parallel: 1);
        var tasks = Tasks();
        if (index < 0 || index >= tasks.Count)
            throw new ConfigurationErrorsException($"--index {index}: the study has {tasks.Count} task(s), numbered 0 to {tasks.Count - 1} (seeds x RL seeds x arms)");
        var task = tasks[index];
        var (result, failures) = RunSeed(task.Seed, task.RlSeed, task.Arm == RunPaths.BaseArm ? [] : StartingPoints(task.Arm), cancellation);
        return failures.Count == 0 ? result! : throw new StudyRunsFailedException(failures);
    }

    // Validated configuration, a writable study folder and its study.json: what every entry point needs first.
    private RunOptions Prepare(IHost root)
    {
        var errors = Validate(root);
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);
        string studyFolder = RunPaths.StudyFolder(builder.Configuration);
        RequireWritable(studyFolder);
        AtomicFile.WriteAllText(Path.Combine(studyFolder, StudyFile), ConfigurationJson.Serialize(builder.Configuration));
        return root.Services.GetRequiredService<IOptions<RunOptions>>().Value;
    }

    // Run:Threads, or the cores shared among the seeds that run at once.
    private static void SetThreads(RunOptions options, int parallel) =>
        torch.set_num_threads(options.Threads > 0 ? options.Threads : Math.Max(1, Environment.ProcessorCount / parallel));

    // The arms an arm starts from, first the one that starts from the base, ending with the arm itself.
    private List<string> StartingPoints(string arm)
    {
        var chain = new List<string>();
        for (string at = arm; at != RunPaths.BaseArm; at = StartsFrom(at)) chain.Insert(0, at);
        return chain;
    }

    // Each run holds its folder's lock while it computes, so that concurrent tasks compute a shared run once. A run
    // that fails (its status.json and the log say why) skips the arms that start from it, not the others; a stop or
    // a configuration error ends the study.
    private (SeedResult? Result, List<RunFailure> Failures) RunSeed(int seed, int? rlSeed, IReadOnlyList<string> arms, CancellationToken cancellation)
    {
        var failures = new List<RunFailure>();
        PipelineResult? baseline = null;
        try
        {
            using var host = builder.BuildRun(arm: null, seed);
            using var held = Lock(host, RunPaths.BaseArm, cancellation);
            baseline = host.Services.GetRequiredService<PipelineRunner>().Run(cancellation);
        }
        catch (Exception e) when (Fails(e))
        {
            failures.Add(new RunFailure(RunPaths.BaseArm, seed, e));
        }
        var results = new List<ArmResult>();
        foreach (var arm in arms)
        {
            cancellation.ThrowIfCancellationRequested();
            using var host = builder.BuildRun(arm, seed, rlSeed);
            string from = host.Services.GetRequiredService<IOptions<TrainOptions>>().Value.From;
            if (failures.Any(f => f.Arm == from))
            {
                failures.Add(new RunFailure(arm, seed, null, from, rlSeed));
                continue;
            }
            try
            {
                using var held = Lock(host, arm, cancellation);
                string start = from == RunPaths.BaseArm ? baseline!.ModelPath : results.Single(r => r.Arm == from).ModelPath;
                results.Add(host.Services.GetRequiredService<ArmRunner>().Run(arm, baseline!, start, cancellation));
            }
            catch (Exception e) when (Fails(e))
            {
                failures.Add(new RunFailure(arm, seed, e, RlSeed: rlSeed));
            }
        }
        return (failures.Count == 0 ? new SeedResult(seed, baseline!, results, rlSeed) : null, failures);
    }

    private static bool Fails(Exception e) => e is not (OperationCanceledException or ConfigurationErrorsException or OutOfMemoryException);

    private static RunLock Lock(IHost run, string arm, CancellationToken cancellation) =>
        RunLock.Acquire(RunPaths.RunFolder(run.Services.GetRequiredService<IConfiguration>(), arm), run.Services.GetRequiredService<ILogger<StudyRunner>>(), cancellation);

    // Fail before any compute, not after an hour of pretraining.
    private static void RequireWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".write-test.{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationErrorsException($"{RunOptions.Section}:{nameof(RunOptions.RunRoot)}: cannot write the study's folder {folder}: {e.Message}");
        }
    }
}
