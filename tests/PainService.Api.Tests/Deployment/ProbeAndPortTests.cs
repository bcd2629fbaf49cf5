using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PainService.Api.Tests.Deployment;

/// <summary>Every path the deployment files probe or scrape is served by the real app, without an API key, and
/// every port they name is the one the image listens on.</summary>
public sealed class ProbeAndPortTests
{
    private const int ImagePort = 8080;

    [Fact]
    public void The_deployment_files_probe_liveness_readiness_and_metrics()
    {
        var paths = DeploymentSurface.ProbedPaths().Select(p => p.Path).ToHashSet();
        Assert.Superset(new HashSet<string> { "/health/live", "/health/ready", "/metrics" }, paths);
        var container = DeploymentSurface.ApiContainer();
        Assert.Equal("/health/live", container.At("livenessProbe", "httpGet", "path").Scalar());
        Assert.Equal("/health/ready", container.At("readinessProbe", "httpGet", "path").Scalar());
    }

    [Fact]
    public async Task Every_probed_path_is_served_by_the_running_api_without_credentials()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();
        foreach (var (where, path) in DeploymentSurface.ProbedPaths().DistinctBy(p => p.Path))
        {
            using var response = await client.GetAsync(path);
            // /health/ready may honestly say 503 while the model warms up; anything else means a wrong path or a
            // probe that would need credentials Kubernetes does not send.
            var ok = response.StatusCode == HttpStatusCode.OK
                     || (path == "/health/ready" && response.StatusCode == HttpStatusCode.ServiceUnavailable);
            Assert.True(ok, $"{where}: GET {path} returned {(int)response.StatusCode}");
        }
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("painservice_requests_total", metrics);
    }

    [Fact]
    public void Dockerfile_compose_prometheus_and_kubernetes_agree_on_the_api_port()
    {
        Assert.Contains(DockerfileModel.InStage("api"), i => i.Keyword == "EXPOSE" && i.Arguments == $"{ImagePort}");
        Assert.Equal(ImagePort, new Uri(DeploymentSurface.DockerfileHealthcheckUrl()).Port);
        // The CPU base image listens on 8080 by default; the CUDA base sets the same explicitly.
        Assert.Contains(DockerfileModel.InStage("runtime-cuda"),
            i => i.Keyword == "ENV" && i.Arguments.Contains($"ASPNETCORE_HTTP_PORTS={ImagePort}", StringComparison.Ordinal));

        var compose = DeploymentSurface.Compose;
        var published = Assert.Single(compose.At("services", "api", "ports").Items()).Scalar()!;
        Assert.EndsWith($":{ImagePort}", published);
        foreach (var (composeService, url) in DeploymentSurface.ComposeHealthcheckUrls())
            Assert.True(new Uri(url).Port == ImagePort, $"compose {composeService} healthcheck port");
        var target = YamlFiles.LoadSingle("deploy/prometheus/prometheus.yml").Child("scrape_configs").Items()
            .SelectMany(j => j.Child("static_configs").Items()).SelectMany(s => s.Child("targets").Items()).Single().Scalar();
        Assert.Equal($"api:{ImagePort}", target);

        var container = DeploymentSurface.ApiContainer();
        var port = Assert.Single(container.Child("ports").Items());
        Assert.Equal($"{ImagePort}", port.Child("containerPort").Scalar());
        var portName = port.Child("name").Scalar();
        Assert.Equal(portName, container.At("livenessProbe", "httpGet", "port").Scalar());
        Assert.Equal(portName, container.At("readinessProbe", "httpGet", "port").Scalar());
        Assert.Equal($"{ImagePort}", DeploymentSurface.ApiDeployment
            .At("spec", "template", "metadata", "annotations", "prometheus.io/port").Scalar());
        var envPort = container.Child("env").Items().Single(e => e.Child("name").Scalar() == "ASPNETCORE_HTTP_PORTS");
        Assert.Equal($"{ImagePort}", envPort.Child("value").Scalar());
        var service = YamlFiles.LoadSingle("deploy/k8s/base/api-service.yaml");
        Assert.Equal(portName, Assert.Single(service.At("spec", "ports").Items()).Child("targetPort").Scalar());
    }
}
