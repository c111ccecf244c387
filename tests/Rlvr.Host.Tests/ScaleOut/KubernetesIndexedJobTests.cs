using System.Text.Json.Nodes;
using Rlvr.ScaleOut;
using Rlvr.Host.Studies;

namespace Rlvr.Host.Tests.ScaleOut;

/// <summary>The Indexed Job manifest: it cannot run here, so its content is what is tested.</summary>
public sealed class KubernetesIndexedJobTests
{
    private static readonly StudySubmission s_study = new("Algorithm_Zoo", "/runs", """{ "Run": { "Name": "Algorithm_Zoo" } }""",
        [.. Enumerable.Range(0, 6).Select(i => new StudyTask(i, 1 + i / 3, $"arm{i % 3}"))], ["ignored"], ["/plugins/mine"]);

    private static JsonNode Manifest(KubernetesResources resources) => JsonNode.Parse(new KubernetesIndexedJob(s_study, resources).Manifest())!;

    [Fact]
    public void OnePodPerTaskTakesItsIndexFromJobCompletionIndex()
    {
        var list = Manifest(new KubernetesResources { Image = "registry/rlvr:1.0", VolumeClaim = "rlvr-runs", GpusPerRun = 1, Namespace = "research" });

        Assert.Equal("List", (string?)list["kind"]);
        var map = list["items"]![0]!;
        var job = list["items"]![1]!;
        Assert.Equal("ConfigMap", (string?)map["kind"]);
        Assert.Equal("""{ "Run": { "Name": "Algorithm_Zoo" } }""", (string?)map["data"]!["study.json"]);
        Assert.Equal("batch/v1", (string?)job["apiVersion"]);
        Assert.Equal("rlvr-algorithm-zoo", (string?)job["metadata"]!["name"]);
        Assert.Equal("research", (string?)job["metadata"]!["namespace"]);
        var spec = job["spec"]!;
        Assert.Equal("Indexed", (string?)spec["completionMode"]);
        Assert.Equal(6, (int)spec["completions"]!);
        Assert.Equal(6, (int)spec["parallelism"]!);
        Assert.Equal(3, (int)spec["backoffLimitPerIndex"]!);
        var pod = spec["template"]!["spec"]!;
        Assert.Equal("Never", (string?)pod["restartPolicy"]);
        var container = pod["containers"]![0]!;
        Assert.Equal("registry/rlvr:1.0", (string?)container["image"]);
        Assert.Equal(["rlvr"], container["command"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["run", "/etc/rlvr/study.json", "--index", "$(JOB_COMPLETION_INDEX)", "--Run:RunRoot=/runs", "--plugins", "/plugins/mine"],
            container["args"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(1, (int)container["resources"]!["limits"]!["nvidia.com/gpu"]!);
        var mounts = container["volumeMounts"]!.AsArray();
        Assert.Equal("/runs", (string?)mounts.Single(m => (string?)m!["name"] == "runs")!["mountPath"]);
        var volumes = pod["volumes"]!.AsArray();
        Assert.Equal("rlvr-runs", (string?)volumes.Single(v => (string?)v!["name"] == "runs")!["persistentVolumeClaim"]!["claimName"]);
        Assert.Equal("rlvr-algorithm-zoo", (string?)volumes.Single(v => (string?)v!["name"] == "study")!["configMap"]!["name"]);
    }

    [Fact]
    public void MaxRunningCapsParallelismAndCpusBecomeThreads()
    {
        var job = Manifest(new KubernetesResources { Image = "i", VolumeClaim = "c", MaxRunning = 2, CpusPerRun = 4 })["items"]![1]!;

        Assert.Equal(2, (int)job["spec"]!["parallelism"]!);
        var container = job["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Contains("--Run:Threads=4", container["args"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(4, (int)container["resources"]!["requests"]!["cpu"]!);
        Assert.Null(container["resources"]!["limits"]!["nvidia.com/gpu"]);
    }
}
