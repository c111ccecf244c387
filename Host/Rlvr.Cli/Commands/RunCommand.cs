using System.Globalization;
using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rlvr.Host;
using Rlvr.Host.Configuration;
using Rlvr.Host.Logging;
using Rlvr.Host.Evaluation;
using Rlvr.Host.Runs;
using Rlvr.Reporting;
using Rlvr.Host.Studies;

namespace Rlvr.Cli.Commands;

/// <summary><c>rlvr run</c>: pretrains a model from scratch and evaluates its pass@k, as the config says.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "The study config, a JSON file (see Samples/)." };
        var runs = CommandLine.RunsFolder();
        var command = new Command("run", "Run a study: pretrain from scratch, then evaluate pass@k with confidence intervals on held-out problems.\n" + CommandLine.OverridesHelp)
        {
            config, parallel, index, runs,
        };
        command.SetAction(result => CommandLine.Run(() =>
        {
            var settings = CommandLine.Settings(result, result.GetValue(config)!.FullName, runs);
            if (result.GetValue(parallel) is int n) settings = settings with { Overrides = [.. settings.Overrides, $"--Run:Parallel={n}"] };
            return RunStudy(settings, result.GetValue(index));
        }));
        return command;
    }

    private static readonly Option<int?> parallel = new("--parallel") { Description = "Tasks (seed x arm) to run at once, each in a worker process (sets Run:Parallel)." };

    private static readonly Option<int?> index = new("--index")
    {
        Description = "Run only task N of the study (tasks are seeds x arms, numbered from 0; `rlvr submit --dry-run` lists them), " +
                      "with the base and arms it starts from, reused or waited for when another process computes them. " +
                      "For schedulers that hand out an index: Slurm's SLURM_ARRAY_TASK_ID, Kubernetes' JOB_COMPLETION_INDEX.",
    };

    /// <summary>Runs the study the settings describe, or its task <paramref name="task"/> alone (finished runs reused, killed ones resumed), and prints every table.</summary>
    internal static int RunStudy(RlvrHostSettings settings, int? task = null)
    {
        if (BaseStudies.Of(settings) is { } bases) return RunBases(settings, bases, task);
        var builder = CommandLine.HostBuilder(settings with { LogToStudyFolder = true });
        using var host = builder.Build();
        using var stop = new CancellationTokenSource();
        // Ctrl+C, and SIGTERM from a scheduler that pre-empts or requeues the job: stop between steps, keep the checkpoint.
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            CommandLine.StoppedExitCode = 128 + 15;
            stop.Cancel();
        });
        var runner = new StudyRunner(builder);
        if (task is int i)
        {
            var seed = StudyProgress.Show(builder, () => runner.RunTask(host, i, stop.Token));
            var tasks = runner.Tasks();
            Console.Out.WriteLine();
            Console.Out.WriteLine($"######## task {i} of {tasks.Count}: arm {tasks[i].Arm}, {Unit(seed)}");
            Print(seed);
            PrintTensorBoard(builder);
            return 0;
        }
        RunInWorkers(settings, builder, host, runner, stop.Token);
        var outcome = StudyProgress.Show(builder, () => runner.Run(host, stop.Token, parallel: 1), StagesLeft(builder, runner));
        foreach (var seed in outcome.Seeds)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine($"######## {Unit(seed)}");
            Print(seed);
        }
        if (outcome.Seeds.Count > 1) PrintAcrossSeeds(outcome, Console.Out);
        if (outcome.Arms.Count > 0)
        {
            var (_, html) = ReportCommand.Write(StudyLoader.Load(RunPaths.StudyFolder(builder.Configuration)), settings);
            Console.Out.WriteLine();
            Console.Out.WriteLine($"Report: {Path.GetFullPath(html)}");
        }
        PrintTensorBoard(builder);
        return 0;
    }

    // A study with several bases: each base's study in turn, all of them checked first, then the report of all.
    private static int RunBases(RlvrHostSettings settings, IReadOnlyList<(string Base, RlvrHostSettings Settings)> bases, int? task)
    {
        if (task is not null)
            throw new ConfigurationErrorsException($"--index: the study has several bases ({string.Join(", ", bases.Select(b => b.Base))}); " +
                                                   $"give one with --{StudyBases.SelectKey}=<base> to run a task of it");
        var errors = BaseStudies.Validate(bases);
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);
        string folder = BaseStudies.Save(settings);
        foreach (var (name, each) in bases)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine($"################ base {name} ({bases.Count} bases)");
            RunStudy(each);
        }
        var (_, html) = BaseStudies.WriteReport(folder)!.Value;
        Console.Out.WriteLine();
        Console.Out.WriteLine($"Dose-response report: {Path.GetFullPath(html)}");
        return 0;
    }

    // With Run:Parallel > 1 every task runs first in a worker process of its own (WorkerProcesses says why); the pass in
    // this process that follows then reuses what they finished and resumes, one at a time, what a worker left unfinished.
    private static void RunInWorkers(RlvrHostSettings settings, RlvrHostBuilder builder, IHost host, StudyRunner runner, CancellationToken stop)
    {
        var options = host.Services.GetRequiredService<IOptions<RunOptions>>().Value;
        var tasks = runner.Tasks();
        int workers = Math.Min(options.Parallel, tasks.Count);
        if (workers <= 1) return;
        var errors = runner.Validate(host);
        if (errors.Count > 0) throw new ConfigurationErrorsException(errors);
        int? threads = options.Threads > 0 ? null : Math.Max(1, Environment.ProcessorCount / workers);
        string output = Path.Combine(RunPaths.StudyFolder(builder.Configuration), RlvrLogging.Folder);
        Console.Out.WriteLine($"Running {tasks.Count} task(s) in up to {workers} worker processes; each one's output goes to {output}/task-<index>.out");
        var outcomes = WorkerProcesses.Run(settings, tasks, [RunPaths.BaseArm, .. runner.ArmsInOrder()], workers, threads, output, Console.Out, stop);
        if (outcomes.Any(o => o.ExitCode != 0))
            Console.Out.WriteLine("Some workers did not finish their task; this process now reuses what is finished and resumes the rest from its last checkpoint.");
    }

    // Every run writes TensorBoard event files into its tensorboard/ folder; the study folder as logdir shows them all, one run each.
    private static void PrintTensorBoard(RlvrHostBuilder builder) =>
        Console.Out.WriteLine($"TensorBoard: tensorboard --logdir {Path.GetFullPath(RunPaths.StudyFolder(builder.Configuration))}");

    // Two stages a run (pretrain or train, then evaluate), less those of runs an earlier invocation finished: the study reuses them.
    private static int StagesLeft(RlvrHostBuilder builder, StudyRunner runner)
    {
        var tasks = runner.Tasks();
        string study = RunPaths.StudyFolder(builder.Configuration);
        return 2 * tasks.Select(t => (t.Arm, t.Seed, t.RlSeed)).Concat(tasks.Select(t => (Arm: RunPaths.BaseArm, t.Seed, RlSeed: (int?)null))).Distinct()
            .Count(run => RunStatus.Read(Path.Combine(study, run.Arm, RunPaths.RunFolderName(run.Seed, run.RlSeed)))?.Status != RunStatus.Finished);
    }

    private static string Unit(SeedResult seed) => RunPaths.UnitName(seed.Seed, seed.RlSeed);

    private static void Print(SeedResult seed)
    {
        Print(seed.Base, Console.Out);
        foreach (var arm in seed.Arms) Print(arm, seed.Base, Console.Out);
    }

    // Each arm's pass@1 and pass@n per seed, and their mean: the seeds are the replicates a finding needs.
    private static void PrintAcrossSeeds(StudyResult outcome, TextWriter output)
    {
        output.WriteLine();
        string units = outcome.Seeds.Any(s => s.RlSeed is not null) ? "(seed, RL seed) runs" : "seeds";
        output.WriteLine($"######## across {outcome.Seeds.Count} {units} (each one's value, then the mean); `rlvr report` draws the curves with intervals");
        var rows = new List<(string Arm, IReadOnlyList<EvaluationResult> Evaluations)> { ("base", [.. outcome.Seeds.Select(s => s.Base.Evaluation)]) };
        rows.AddRange(outcome.Seeds[0].Arms.Select(a => (a.Arm, (IReadOnlyList<EvaluationResult>)[.. outcome.Seeds.Select(s => s.Arms.Single(x => x.Arm == a.Arm).Evaluation)])));
        int n = rows.SelectMany(r => r.Evaluations).Min(e => e.Samples);
        output.WriteLine($"  {"arm",-14}  {"pass@1",-30}  {$"pass@{n}",-30}");
        foreach (var (arm, evaluations) in rows)
        {
            string Cell(int k) => Values([.. evaluations.Select(e => At(e, k))], "F3");
            output.WriteLine($"  {arm,-14}  {Cell(1),-30}  {Cell(n),-30}");
        }
        // The paired differences a verdict is built from: each run against the base it was trained from, on the same problems.
        output.WriteLine();
        output.WriteLine($"  paired differences d = arm - base, each run against its own base (the report's verdicts test them over seeds)");
        output.WriteLine($"  {"arm",-14}  {"d pass@1",-30}  {$"d pass@{n}",-30}");
        foreach (string arm in outcome.Seeds[0].Arms.Select(a => a.Arm))
        {
            string Cell(int k) => Values([.. outcome.Seeds.Select(s => At(s.Arms.Single(x => x.Arm == arm).Evaluation, k) - At(s.Base.Evaluation, k))], "+0.000;-0.000");
            output.WriteLine($"  {arm,-14}  {Cell(1),-30}  {Cell(n),-30}");
        }
    }

    // Each run's value, then their mean.
    private static string Values(IReadOnlyList<double> values, string format) =>
        $"{string.Join(" ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)))} (mean {values.Average().ToString(format, CultureInfo.InvariantCulture)})";

    // pass@k (answer) of an evaluation, at the largest k it has up to k.
    private static double At(EvaluationResult e, int k) => e.PassAtK.Last(row => row.K <= k).Answer.Mean;

    internal static void Print(PipelineResult outcome, TextWriter output)
    {
        var p = outcome.Pretraining;
        output.WriteLine();
        output.WriteLine(p.Steps == 0
            ? "== base: not pretrained (Pretrain:TokenBudget 0), the model as its architecture made it"
            : $"== base: pretrained {p.Steps} steps, {p.Tokens:N0} tokens, {p.Elapsed.TotalSeconds:F0} s ({p.TokensPerSecond:N0} tokens/s), loss {p.FirstLoss:F3} -> {p.FinalLoss:F3}");
        PrintEvaluation(outcome.Evaluation, outcome.RunFolder, output);
    }

    internal static void Print(ArmResult arm, PipelineResult baseline, TextWriter output)
    {
        var t = arm.Training;
        output.WriteLine();
        output.WriteLine($"== arm {arm.Arm}: {arm.Algorithm}, {t.Steps} steps ({t.Elapsed.TotalSeconds:F0} s this run)" +
                         (t.Describe() is { Length: > 0 } change ? $"; {change}" : ""));
        PrintEvaluation(arm.Evaluation, arm.RunFolder, output);
        var c = arm.Comparison;
        // Compare at the largest k both evaluations have: an arm may draw fewer samples than the base.
        int n = Math.Min(baseline.Evaluation.Samples, arm.Evaluation.Samples);
        output.WriteLine($"  vs base: pass@1 {At(baseline.Evaluation, 1):F3} -> {At(arm.Evaluation, 1):F3}, " +
                         $"pass@{n} {At(baseline.Evaluation, n):F3} -> {At(arm.Evaluation, n):F3}; " +
                         $"problems gained {c.Gained.Count}, lost {c.Lost.Count}; " +
                         c.Order.Describe());
    }

    private static void PrintEvaluation(EvaluationResult e, string runFolder, TextWriter output)
    {
        output.WriteLine($"Evaluation: {e.Problems} held-out problems x {e.Samples} samples ({e.SamplesPerSecond:N0} samples/s); 95% bootstrap intervals over problems");
        output.WriteLine();
        output.WriteLine($"  {"k",5}  {"pass@k (answer)",-24}  {"pass@k (every step verified)",-28}");
        foreach (var row in e.PassAtK)
            output.WriteLine($"  {row.K,5}  {row.Answer,-24}  {row.StepVerified,-28}");
        output.WriteLine();
        output.WriteLine($"  coverage {e.Coverage:F3}   answer accuracy {e.AnswerAccuracy:F3}   step-verified accuracy {e.StepVerifiedAccuracy:F3}" +
                         (e.VerifierErrors > 0 ? $"   verifier errors {e.VerifierErrors}" : ""));
        output.WriteLine();
        output.WriteLine($"  {"difficulty",10}  {"problems",8}  {"pass@1",7}  {$"pass@{e.Samples}",8}  {"solved",6}");
        foreach (var level in e.PerProblem.GroupBy(r => r.Difficulty).OrderBy(g => g.Key))
        {
            double pass1 = level.Average(r => PassAtK.Estimate(r.Samples, r.Correct, 1));
            double passN = level.Average(r => PassAtK.Estimate(r.Samples, r.Correct, r.Samples));
            output.WriteLine($"  {level.Key,10}  {level.Count(),8}  {pass1,7:F3}  {passN,8:F3}  {level.Count(r => r.Correct > 0),6}");
        }
        output.WriteLine();
        output.WriteLine($"Run folder: {runFolder}");
    }
}
