using System.Text.RegularExpressions;
using PainService.Testing;
using YamlDotNet.RepresentationModel;

namespace PainService.Api.Tests.Deployment;

/// <summary>What the deployment files expect of the API: the HTTP paths they probe or scrape, the ports they
/// target, and the environment variables they set for the api and worker containers.</summary>
internal static partial class DeploymentSurface
{
    /// <summary>(where, path) for every probe, health check and scrape target.</summary>
    public static IEnumerable<(string Where, string Path)> ProbedPaths()
    {
        foreach (var file in YamlFiles.Kubernetes)
            foreach (var doc in YamlFiles.Load(file))
                foreach (var (key, node) in doc.Descendants())
                {
                    if (key == "httpGet")
                        yield return ($"{file} httpGet", node.Child("path").Scalar()!);
                    if (key == "prometheus.io/path")
                        yield return ($"{file} annotation", node.Scalar()!);
                    if (key == "endpoints" && doc.Child("kind").Scalar() == "ServiceMonitor")
                        foreach (var ep in node.Items())
                            yield return ($"{file} ServiceMonitor", ep.Child("path").Scalar()!);
                }
        foreach (var job in YamlFiles.LoadSingle("deploy/prometheus/prometheus.yml").Child("scrape_configs").Items())
            yield return ("prometheus.yml", job.Child("metrics_path").Scalar() ?? "/metrics");
        foreach (var (service, url) in ComposeHealthcheckUrls())
            yield return ($"compose {service} healthcheck", new Uri(url).AbsolutePath);
        yield return ("Dockerfile HEALTHCHECK", new Uri(DockerfileHealthcheckUrl()).AbsolutePath);
    }

    public static IEnumerable<(string Service, string Url)> ComposeHealthcheckUrls()
    {
        foreach (var (name, service) in Compose.Child("services").Entries())
        {
            var test = string.Join(' ', service.At("healthcheck", "test").Items().Select(i => i.Scalar()));
            var url = Url().Match(test);
            if (url.Success)
                yield return (name, url.Value);
        }
    }

    public static string DockerfileHealthcheckUrl()
    {
        var check = Assert.Single(DockerfileModel.InStage("api"), i => i.Keyword == "HEALTHCHECK");
        return Url().Match(check.Arguments).Value;
    }

    public static YamlMappingNode Compose => YamlFiles.LoadSingle(YamlFiles.Compose);

    /// <summary>(where, name) of every environment variable given to the api or worker containers.</summary>
    public static IEnumerable<(string Where, string Name)> EnvironmentVariables()
    {
        foreach (var service in new[] { "api", "worker" })
            foreach (var (name, _) in Compose.At("services", service, "environment").Entries())
                yield return ($"compose {service}", name);
        foreach (var file in YamlFiles.Kubernetes)
            foreach (var doc in YamlFiles.Load(file))
            {
                if (doc.Child("kind").Scalar() == "ConfigMap")
                    foreach (var (name, _) in doc.Child("data").Entries())
                        yield return ($"{file} ConfigMap", name);
                foreach (var (key, node) in doc.Descendants())
                    if (key == "env")
                        foreach (var item in node.Items())
                            yield return ($"{file} env", item.Child("name").Scalar()!);
            }
    }

    /// <summary>Kubernetes containers of the API Deployment (base manifests).</summary>
    public static YamlNode ApiContainer()
    {
        var deployment = YamlFiles.LoadSingle("deploy/k8s/base/api-deployment.yaml");
        return Assert.Single(deployment.At("spec", "template", "spec", "containers").Items());
    }

    public static YamlMappingNode ApiDeployment => YamlFiles.LoadSingle("deploy/k8s/base/api-deployment.yaml");

    public static string RepoText(string relative) => File.ReadAllText(Path.Combine(RepoPaths.Root, relative));

    [GeneratedRegex(@"https?://[^\s""']+")]
    private static partial Regex Url();
}
