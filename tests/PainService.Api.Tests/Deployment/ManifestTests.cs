using System.Text.Json;
using System.Text.RegularExpressions;
using PainService.Testing;

namespace PainService.Api.Tests.Deployment;

/// <summary>The compose file, Kubernetes manifests, Prometheus and Grafana files parse and hang together.</summary>
public sealed partial class ManifestTests
{
    public static TheoryData<string> YamlPaths => new(YamlFiles.All);

    [Theory]
    [MemberData(nameof(YamlPaths))]
    public void Every_deployment_yaml_file_parses_to_at_least_one_mapping(string path)
    {
        var documents = YamlFiles.Load(path);
        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.NotEmpty(d.Children));
    }

    [Fact]
    public void There_are_kubernetes_manifests_for_every_required_kind()
    {
        var kinds = YamlFiles.Kubernetes.SelectMany(YamlFiles.Load).Select(d => d.Child("kind").Scalar()).ToHashSet();
        foreach (var kind in new[] { "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                     "ConfigMap", "PersistentVolumeClaim", "ServiceMonitor", "Kustomization" })
            Assert.Contains(kind, kinds);
    }

    [Fact]
    public void Every_kubernetes_object_names_its_api_version_kind_and_name()
    {
        foreach (var path in YamlFiles.Kubernetes.Where(p => !p.EndsWith("/kustomization.yaml", StringComparison.Ordinal)))
            foreach (var doc in YamlFiles.Load(path))
            {
                Assert.False(string.IsNullOrEmpty(doc.Child("apiVersion").Scalar()), $"{path}: apiVersion");
                Assert.False(string.IsNullOrEmpty(doc.Child("kind").Scalar()), $"{path}: kind");
                Assert.False(string.IsNullOrEmpty(doc.At("metadata", "name").Scalar()), $"{path}: metadata.name");
            }
    }

    [Fact]
    public void Kustomizations_list_files_that_exist_and_patch_objects_the_base_defines()
    {
        var kustomizations = YamlFiles.Kubernetes.Where(p => p.EndsWith("/kustomization.yaml", StringComparison.Ordinal)).ToArray();
        Assert.Contains("deploy/k8s/base/kustomization.yaml", kustomizations);
        Assert.Contains("deploy/k8s/overlays/gpu/kustomization.yaml", kustomizations);
        var baseObjects = Objects("deploy/k8s/base");
        foreach (var path in kustomizations)
        {
            var dir = Path.GetDirectoryName(Path.Combine(RepoPaths.Root, path))!;
            var doc = YamlFiles.LoadSingle(path);
            foreach (var resource in doc.Child("resources").Items().Select(i => i.Scalar()!))
            {
                var full = Path.GetFullPath(Path.Combine(dir, resource));
                Assert.True(File.Exists(full) || File.Exists(Path.Combine(full, "kustomization.yaml")), $"{path}: resource {resource}");
            }
            foreach (var patch in doc.Child("patches").Items().Select(i => i.Child("path").Scalar()!))
            {
                var patchPath = Path.GetRelativePath(RepoPaths.Root, Path.Combine(dir, patch)).Replace('\\', '/');
                var target = YamlFiles.LoadSingle(patchPath);
                Assert.Contains((target.Child("kind").Scalar(), target.At("metadata", "name").Scalar()), baseObjects);
            }
        }
    }

    [Fact]
    public void Gpu_overlay_schedules_api_and_worker_on_gpu_nodes_with_one_gpu_each()
    {
        foreach (var (file, container) in new[] { ("api-gpu.yaml", "api"), ("worker-gpu.yaml", "worker") })
        {
            var spec = YamlFiles.LoadSingle($"deploy/k8s/overlays/gpu/{file}").At("spec", "template", "spec")!;
            Assert.Equal("true", spec.At("nodeSelector", "nvidia.com/gpu.present").Scalar());
            Assert.Contains(spec.Child("tolerations").Items(), t => t.Child("key").Scalar() == "nvidia.com/gpu");
            var c = Assert.Single(spec.Child("containers").Items());
            Assert.Equal(container, c.Child("name").Scalar());
            Assert.Equal("1", c.At("resources", "limits", "nvidia.com/gpu").Scalar());
        }
        var baseContainers = Objects("deploy/k8s/base");
        Assert.Contains(("Deployment", "painservice-api"), baseContainers);
        Assert.Contains(("Deployment", "painservice-worker"), baseContainers);
    }

    [Fact]
    public void Grafana_dashboard_is_valid_json_and_every_metric_it_plots_is_exported_by_the_api()
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy/grafana/dashboards/painservice.json"));
        using var dashboard = JsonDocument.Parse(json);
        var exprs = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToArray();
        Assert.True(exprs.Length >= 7, "dashboard panels");
        var apiSource = string.Join('\n', Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src/PainService.Api"), "*.cs",
            SearchOption.AllDirectories).Where(p => !p.Contains("/obj/") && !p.Contains("/bin/")).Select(File.ReadAllText));
        var metrics = exprs.SelectMany(e => MetricName().Matches(e)).Select(m => m.Groups[1].Value).ToHashSet();
        foreach (var metric in new[] { "painservice_requests_total", "painservice_request_duration_seconds",
                     "painservice_queue_wait_seconds", "painservice_batch_size", "painservice_model_info" })
            Assert.Contains(metric, metrics);
        foreach (var metric in metrics)
            Assert.True(apiSource.Contains($"\"{metric}\"", StringComparison.Ordinal), $"{metric} is not created in src/PainService.Api");
    }

    private static HashSet<(string?, string?)> Objects(string folder) =>
        YamlFiles.Kubernetes.Where(p => p.StartsWith(folder + "/", StringComparison.Ordinal))
            .SelectMany(YamlFiles.Load).Select(d => (d.Child("kind").Scalar(), d.At("metadata", "name").Scalar())).ToHashSet();

    // A metric in PromQL, without the histogram series suffixes.
    [GeneratedRegex(@"\b(painservice_[a-z0-9_]+?)(?:_bucket|_sum|_count)?\b(?![a-z0-9_])")]
    private static partial Regex MetricName();
}
