// The same contract as the Slurm array, as a Kubernetes Indexed Job: pod i runs `rlvr run study.json --index i`, with
// i from JOB_COMPLETION_INDEX. The study's configuration travels in a ConfigMap; the run root is a volume every pod
// mounts (a ReadWriteMany PersistentVolumeClaim), where base models, checkpoints and the run index live. A pod that
// fails is replaced by one with the same index (backoffLimitPerIndex), which resumes from the last checkpoint.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlvr.ScaleOut;

/// <summary>Where and with what each pod of the Indexed Job runs.</summary>
public sealed record KubernetesResources
{
    /// <summary>The container image, with rlvr on its PATH and the plugins the study uses.</summary>
    public required string Image { get; init; }

    /// <summary>The ReadWriteMany PersistentVolumeClaim mounted at the run root in every pod.</summary>
    public required string VolumeClaim { get; init; }

    /// <summary>The namespace; null for kubectl's current one.</summary>
    public string? Namespace { get; init; }

    /// <summary>GPUs a pod holds (<c>nvidia.com/gpu</c>); 0 for none.</summary>
    public int GpusPerRun { get; init; }

    /// <summary>CPU cores a pod requests, also rlvr's intra-op threads; 0 for the cluster's default.</summary>
    public int CpusPerRun { get; init; }

    /// <summary>Pods that may run at once; 0 for one per task.</summary>
    public int MaxRunning { get; init; }

    /// <summary>Times a task's pod is replaced after failing before the task counts as failed.</summary>
    public int RetriesPerTask { get; init; } = 3;
}

/// <summary>Writes the Kubernetes manifest (a ConfigMap and an Indexed Job, as one JSON List) of a <see cref="StudySubmission"/>.</summary>
public sealed class KubernetesIndexedJob(StudySubmission study, KubernetesResources resources)
{
    /// <summary>Where the ConfigMap is mounted in each pod; study.json is read from there.</summary>
    public const string ConfigFolder = "/etc/rlvr";

    /// <summary>Kubernetes object names: lower-case letters, digits and '-'.</summary>
    public string Name => "rlvr-" + new string([.. study.Name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');

    /// <summary>The manifest, for <c>kubectl apply -f</c> (JSON is YAML).</summary>
    public string Manifest() => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "List",
        ["items"] = new JsonArray(ConfigMap(), Job()),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private JsonObject Metadata()
    {
        var metadata = new JsonObject { ["name"] = Name, ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "rlvr", ["rlvr/study"] = Name } };
        if (resources.Namespace is { } ns) metadata["namespace"] = ns;
        return metadata;
    }

    private JsonObject ConfigMap() =>
        new() { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = Metadata(), ["data"] = new JsonObject { ["study.json"] = study.Configuration } };

    private JsonObject Job()
    {
        // The pod reads the ConfigMap's copy of study.json and writes under the mounted run root, the same path as on the submitting machine.
        var arguments = new JsonArray(["run", $"{ConfigFolder}/study.json", "--index", "$(JOB_COMPLETION_INDEX)",
            $"--Run:RunRoot={study.RunRoot}", .. study.PluginFolders.SelectMany(f => new[] { "--plugins", f })]);
        if (resources.CpusPerRun > 0) arguments.Add($"--Run:Threads={resources.CpusPerRun}");
        var limits = new JsonObject();
        if (resources.GpusPerRun > 0) limits["nvidia.com/gpu"] = resources.GpusPerRun;
        var requests = new JsonObject();
        if (resources.CpusPerRun > 0) requests["cpu"] = resources.CpusPerRun;
        var container = new JsonObject
        {
            ["name"] = "rlvr",
            ["image"] = resources.Image,
            ["command"] = new JsonArray("rlvr"),
            ["args"] = arguments,
            ["resources"] = new JsonObject { ["limits"] = limits, ["requests"] = requests },
            ["volumeMounts"] = new JsonArray(
                new JsonObject { ["name"] = "runs", ["mountPath"] = study.RunRoot },
                new JsonObject { ["name"] = "study", ["mountPath"] = ConfigFolder, ["readOnly"] = true }),
        };
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = Metadata(),
            ["spec"] = new JsonObject
            {
                ["completionMode"] = "Indexed",
                ["completions"] = study.Tasks.Count,
                ["parallelism"] = resources.MaxRunning > 0 ? Math.Min(resources.MaxRunning, study.Tasks.Count) : study.Tasks.Count,
                ["backoffLimitPerIndex"] = resources.RetriesPerTask,   // Kubernetes 1.29+: a failing task retries alone
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["rlvr/study"] = Name } },
                    ["spec"] = new JsonObject
                    {
                        ["restartPolicy"] = "Never",   // a new pod per retry, with the same index: it resumes from the shared checkpoint
                        ["containers"] = new JsonArray(container),
                        ["volumes"] = new JsonArray(
                            new JsonObject { ["name"] = "runs", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = resources.VolumeClaim } },
                            new JsonObject { ["name"] = "study", ["configMap"] = new JsonObject { ["name"] = Name } }),
                    },
                },
            },
        };
    }
}
