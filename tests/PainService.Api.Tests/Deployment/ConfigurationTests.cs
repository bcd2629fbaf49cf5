using Microsoft.Extensions.Options;
using PainService.Api.Security;
using PainService.Testing;

namespace PainService.Api.Tests.Deployment;

/// <summary>Every environment variable that compose or Kubernetes sets for our containers is a configuration key
/// the code really reads (a typo'd <c>Model__CheckpiontPath</c> would be silently ignored at run time).</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void Every_environment_variable_given_to_api_or_worker_maps_to_a_real_configuration_key()
    {
        var variables = DeploymentSurface.EnvironmentVariables().ToArray();
        Assert.Contains(variables, v => v.Name == "Model__CheckpointPath");
        Assert.Contains(variables, v => v.Name.StartsWith("Jobs__", StringComparison.Ordinal));
        var unknown = variables
            .Where(v => !ConfigKeyCatalog.IsKnown(v.Name))
            .Select(v => $"{v.Where}: {v.Name}")
            .Distinct()
            .ToArray();
        Assert.True(unknown.Length == 0, "Not a configuration key of appsettings.json or an Options class:\n" + string.Join('\n', unknown));
    }

    [Fact]
    public void Catalog_rejects_a_misspelt_key_and_accepts_a_real_one()
    {
        // Guards the guard: the check above would pass vacuously if the catalogue accepted everything.
        Assert.True(ConfigKeyCatalog.IsKnown("Model__CheckpointPath"));
        Assert.False(ConfigKeyCatalog.IsKnown("Model__CheckpiontPath"));
        Assert.False(ConfigKeyCatalog.IsKnown("Nonexistent__Key"));
        Assert.Matches(ConfigKeyCatalog.ConfigurationVariable(), "Jobs__ConnectionString");
    }

    [Fact]
    public void Kubernetes_production_config_does_not_allow_the_untrained_model()
    {
        var config = YamlFiles.LoadSingle("deploy/k8s/base/configmap.yaml").Child("data")!;
        Assert.Equal("false", config.Child("Model__AllowUntrained").Scalar());
        Assert.Equal("Production", config.Child("ASPNETCORE_ENVIRONMENT").Scalar());
        Assert.Equal("PASSIVE", config.Child("OMP_WAIT_POLICY").Scalar());
    }

    [Fact]
    public void Example_api_key_files_are_in_the_format_the_api_reads()
    {
        // The documented shapes (compose secret file, Kubernetes Secret) must load through the API's own parser.
        var composeExample = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy/secrets/api-keys.example"));
        var k8sExample = YamlFiles.LoadSingle("deploy/k8s/base/secret.example.yaml").At("stringData", "api-keys").Scalar()!;
        foreach (var content in new[] { composeExample, k8sExample })
        {
            var file = Path.GetTempFileName();
            try
            {
                File.WriteAllText(file, content);
                var store = new ApiKeyStore(Options.Create(new AuthOptions { ApiKeysFile = file }));
                Assert.Equal(1, store.Count);
            }
            finally
            {
                File.Delete(file);
            }
        }
        Assert.Equal("/run/secrets/api_keys", DeploymentSurface.Compose.At("services", "api", "environment", "Auth__ApiKeysFile").Scalar());
    }

    [Fact]
    public void Secrets_are_referenced_never_inlined()
    {
        // Connection strings with passwords reach Kubernetes containers only through a Secret reference.
        var deployments = new[] { "deploy/k8s/base/api-deployment.yaml", "deploy/k8s/base/worker-deployment.yaml" };
        foreach (var file in deployments)
        {
            var env = Assert.Single(YamlFiles.LoadSingle(file).At("spec", "template", "spec", "containers").Items()).Child("env");
            var jobs = env.Items().Single(e => e.Child("name").Scalar() == "Jobs__ConnectionString");
            Assert.Null(jobs.Child("value"));
            Assert.Equal("painservice-secrets", jobs.At("valueFrom", "secretKeyRef", "name").Scalar());
        }
        var kustomization = YamlFiles.LoadSingle("deploy/k8s/base/kustomization.yaml");
        Assert.DoesNotContain(kustomization.Child("resources").Items(), r => r.Scalar() == "secret.example.yaml");
        var secrets = DeploymentSurface.Compose.Child("secrets").Entries().ToArray();
        Assert.Contains(secrets, s => s.Key == "api_keys");
        Assert.All(secrets, s => Assert.StartsWith("./deploy/secrets/", s.Value.Child("file").Scalar()));
    }
}
