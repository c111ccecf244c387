using System.CommandLine;
using Rlvr.Host.Configuration;
using Rlvr.ScaleOut;
using Rlvr.Host.Studies;

namespace Rlvr.Cli.Commands;

/// <summary><c>rlvr submit</c>: runs a study as a job array on a cluster scheduler, one array task per (arm, seed).</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "The study config, a JSON file (see Samples/)." };
        var runs = CommandLine.RunsFolder();
        var backend = new Option<string>("--backend") { Description = "slurm: an sbatch job array; k8s: a Kubernetes Indexed Job manifest (with --dry-run).", Required = true };
        backend.AcceptOnlyFromAmong("slurm", "k8s");
        var partition = new Option<string?>("--partition") { Description = "Slurm partition; the cluster's default when left out." };
        var gpus = new Option<int>("--gpus-per-run") { Description = "GPUs each task holds." };
        var cpus = new Option<int>("--cpus-per-run") { Description = "CPU cores each task holds, also its intra-op threads." };
        var time = new Option<string?>("--time") { Description = "Slurm wall-clock limit of a task, e.g. 04:00:00." };
        var maxRunning = new Option<int>("--max-running") { Description = "Tasks that may run at once; all when left out." };
        var image = new Option<string?>("--image") { Description = "k8s: the container image, with rlvr on its PATH." };
        var claim = new Option<string?>("--volume-claim") { Description = "k8s: a ReadWriteMany PersistentVolumeClaim, mounted at the run root in every pod." };
        var ns = new Option<string?>("--namespace") { Description = "k8s: the namespace." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the job script or manifest and the task table; queue nothing, write nothing." };
        var command = new Command("submit", "Run a study on a cluster as a job array: task i runs `rlvr run <study> --index i` for one (arm, seed); " +
                                            "a seed's base is computed once, under a lock on the shared run root, and a requeued task resumes from its last checkpoint.\n" +
                                            "Name the shared runs folder with --runs <folder>. " + CommandLine.OverridesHelp)
        {
            config, backend, partition, gpus, cpus, time, maxRunning, image, claim, ns, dryRun, runs,
        };
        command.SetAction(result => CommandLine.Run(() =>
        {
            var settings = CommandLine.Settings(result, result.GetValue(config)!.FullName, runs);
            if (BaseStudies.Of(settings) is { } bases)
                throw new ConfigurationErrorsException($"{StudyBases.Section}: the study has several bases ({string.Join(", ", bases.Select(b => b.Base))}); " +
                                                       $"submit each as its own job array with --{StudyBases.SelectKey}=<base>, then `rlvr report` on the study's folder");
            var study = StudySubmission.Prepare(settings);
            bool dry = result.GetValue(dryRun);
            if (result.GetValue(backend) == "k8s")
            {
                if (!dry) throw new ConfigurationErrorsException("--backend k8s writes a manifest for `kubectl apply -f`; add --dry-run (rlvr does not talk to a Kubernetes API server)");
                var job = new KubernetesIndexedJob(study, new KubernetesResources
                {
                    Image = result.GetValue(image) ?? throw new ConfigurationErrorsException("--backend k8s needs --image, a container image with rlvr on its PATH"),
                    VolumeClaim = result.GetValue(claim) ?? throw new ConfigurationErrorsException("--backend k8s needs --volume-claim, a ReadWriteMany PersistentVolumeClaim for the run root"),
                    Namespace = result.GetValue(ns), GpusPerRun = result.GetValue(gpus), CpusPerRun = result.GetValue(cpus), MaxRunning = result.GetValue(maxRunning),
                });
                Console.Out.WriteLine(job.Manifest());
                return 0;
            }
            var array = new SlurmArray(study, new SlurmResources
            {
                Partition = result.GetValue(partition), GpusPerRun = result.GetValue(gpus), CpusPerRun = result.GetValue(cpus),
                Time = result.GetValue(time), MaxRunning = result.GetValue(maxRunning),
            });
            if (dry)
            {
                array.RequireSharedRunRoot();
                Console.Out.Write(array.Script());
                return 0;
            }
            string id = array.Submit();
            Console.Out.WriteLine($"Submitted job array {id}: {study.Tasks.Count} task(s) of study '{study.Name}'");
            foreach (string line in study.TaskTable()) Console.Out.WriteLine("  " + line);
            Console.Out.WriteLine($"Script {array.ScriptFile}; task output {array.LogFolder}/{id}_<task>.out");
            Console.Out.WriteLine($"Follow with `squeue -j {id}` and `rlvr runs --runs {study.RunRoot}`; when it ends, `rlvr report {study.StudyFolder}`.");
            return 0;
        }));
        return command;
    }
}
