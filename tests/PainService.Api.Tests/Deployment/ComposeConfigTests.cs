using System.Diagnostics;
using PainService.Testing;

namespace PainService.Api.Tests.Deployment;

/// <summary>The compose file as Docker's own client reads it (client only: no engine is needed for `config`).</summary>
public sealed class ComposeConfigTests
{
    [Fact]
    public void Docker_compose_config_accepts_the_file_and_resolves_all_five_services()
    {
        // scripts/install-deps.sh installs Debian's docker-compose; the `docker compose` plugin is used when present.
        var (exe, args) = File.Exists("/usr/bin/docker-compose") || !HasComposePlugin()
            ? ("docker-compose", new[] { "-f", "docker-compose.yml", "config" })
            : ("docker", new[] { "compose", "-f", "docker-compose.yml", "config" });
        var psi = new ProcessStartInfo(exe, args)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "compose config timed out");
        Assert.True(process.ExitCode == 0, $"{exe} config failed:\n{errors}");
        foreach (var service in new[] { "api:", "worker:", "postgres:", "prometheus:", "grafana:" })
            Assert.Contains(service, output);
        // The merged x-painservice-env anchor reached both containers.
        Assert.Contains("Jobs__ConnectionString", output);
        Assert.Contains("OMP_WAIT_POLICY: PASSIVE", output);
    }

    private static bool HasComposePlugin()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("docker", ["compose", "version"])
                { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit(10_000);
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
