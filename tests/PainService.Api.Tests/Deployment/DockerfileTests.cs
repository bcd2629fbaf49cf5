using System.Diagnostics;
using System.Xml.Linq;
using PainService.Testing;

namespace PainService.Api.Tests.Deployment;

/// <summary>The Dockerfile's promises, checked against the repository (no Docker engine runs on these machines).</summary>
public sealed class DockerfileTests
{
    private const string Cascade = "haarcascade_frontalface_default.xml";

    [Fact]
    public void Has_build_api_worker_and_both_runtime_stages_with_api_as_the_default_target()
    {
        var stages = DockerfileModel.Stages.ToArray();
        Assert.Superset(new HashSet<string> { "build", "runtime-cpu", "runtime-cuda", "runtime", "worker", "api" }, stages.ToHashSet());
        Assert.Equal("api", stages[^1]);
        Assert.Contains(DockerfileModel.Instructions, i => i.Keyword == "FROM" && i.Arguments == "runtime-${TORCH_BACKEND} AS runtime");
        Assert.Contains(DockerfileModel.Instructions, i => i.Keyword == "ARG" && i.Arguments == "TORCH_BACKEND=cpu");
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", Assert.Single(DockerfileModel.InStage("runtime-cpu")).Arguments.Replace("${DOTNET_TAG}", "10.0-noble"));
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void Final_stages_run_as_a_non_root_user(string stage)
    {
        var user = DockerfileModel.InStage(stage).Last(i => i.Keyword == "USER").Arguments;
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user.Split(':')[0]);
    }

    [Fact]
    public void Runtime_sets_passive_omp_waiting_and_installs_gtk_for_opencv()
    {
        var runtime = DockerfileModel.InStage("runtime").ToArray();
        Assert.Contains(runtime, i => i.Keyword == "ENV" && i.Arguments.Contains("OMP_WAIT_POLICY=PASSIVE", StringComparison.Ordinal));
        Assert.Contains(runtime, i => i.Keyword == "RUN" && i.Arguments.Contains("libgtk-3-0t64", StringComparison.Ordinal));
        Assert.Contains("/health/live", DeploymentSurface.DockerfileHealthcheckUrl());
    }

    [Fact]
    public void Every_build_context_copy_source_exists_in_the_repository()
    {
        var copies = DockerfileModel.InStage("build").Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
            foreach (var source in copy.Arguments.Split(' ')[..^1].Where(a => !a.StartsWith("--", StringComparison.Ordinal)))
            {
                var path = Path.Combine(RepoPaths.Root, source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY source missing: {source}");
            }
    }

    [Fact]
    public void Restore_layer_copies_every_project_the_api_and_worker_depend_on()
    {
        // The restore runs before the sources are copied; a project reference added later must be listed there too.
        var copied = DockerfileModel.InStage("build").Where(i => i.Keyword == "COPY")
            .Select(i => i.Arguments.Split(' ')[0]).Where(s => s.EndsWith(".csproj", StringComparison.Ordinal)).ToHashSet();
        var pending = new Stack<string>(["src/PainService.Api/PainService.Api.csproj", "src/PainService.Worker/PainService.Worker.csproj"]);
        var seen = new HashSet<string>();
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
                continue;
            Assert.True(copied.Contains(project), $"Dockerfile does not copy {project} before restore");
            var dir = Path.GetDirectoryName(project)!;
            foreach (var reference in XDocument.Load(Path.Combine(RepoPaths.Root, project)).Descendants("ProjectReference"))
                pending.Push(Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(RepoPaths.Root, dir, (string)reference.Attribute("Include")!))).Replace('\\', '/'));
        }
        Assert.True(seen.Count >= 4);
    }

    [Fact]
    public void Repository_files_the_projects_link_in_are_part_of_the_build_context()
    {
        // A csproj item like $(RepoRoot)appsettings.json fails the image build if the Dockerfile never copies it.
        var sources = DockerfileModel.InStage("build").Where(i => i.Keyword == "COPY")
            .SelectMany(i => i.Arguments.Split(' ')[..^1]).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var linked = new[] { "src/PainService.Api/PainService.Api.csproj", "src/PainService.Worker/PainService.Worker.csproj" }
            .SelectMany(p => XDocument.Load(Path.Combine(RepoPaths.Root, p)).Descendants())
            .SelectMany(e => ((string?)e.Attribute("Include") ?? "").Split(';'))
            .Where(i => i.StartsWith("$(RepoRoot)", StringComparison.Ordinal))
            .Select(i => i["$(RepoRoot)".Length..]).ToArray();
        Assert.Contains("appsettings.json", linked);
        foreach (var file in linked)
            Assert.True(sources.Any(s => s == file || file.StartsWith(s.TrimEnd('/') + "/", StringComparison.Ordinal)),
                $"Dockerfile build stage does not copy {file}, which a project includes");
    }

    [Fact]
    public void Cascade_is_copied_from_the_vision_project_to_where_the_dockerfile_checks_for_it()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "src/PainService.Vision/Cascades", Cascade)));
        var vision = XDocument.Load(Path.Combine(RepoPaths.Root, "src/PainService.Vision/PainService.Vision.csproj"));
        var item = vision.Descendants("None").Single(n => (string?)n.Attribute("Include") == $"Cascades/{Cascade}");
        Assert.Equal("Cascades", (string?)item.Attribute("LinkBase"));
        Assert.NotNull(item.Attribute("CopyToOutputDirectory"));
        var build = string.Join('\n', DockerfileModel.InStage("build").Select(i => i.Arguments));
        Assert.Contains($"test -f /out/api/Cascades/{Cascade}", build);
    }

    [Fact]
    public void Entrypoints_name_the_assemblies_the_projects_produce()
    {
        var api = Assert.Single(DockerfileModel.InStage("api"), i => i.Keyword == "ENTRYPOINT").Arguments;
        Assert.Contains($"/app/{typeof(Program).Assembly.GetName().Name}.dll", api);
        var worker = XDocument.Load(Path.Combine(RepoPaths.Root, "src/PainService.Worker/PainService.Worker.csproj"));
        var assemblyName = worker.Descendants("AssemblyName").Single().Value;
        Assert.Contains($"/app/{assemblyName}.dll", Assert.Single(DockerfileModel.InStage("worker"), i => i.Keyword == "ENTRYPOINT").Arguments);
    }

    [Fact]
    public void Worker_image_compose_and_kubernetes_start_the_real_run_sub_command()
    {
        Assert.Equal("[\"run\"]", Assert.Single(DockerfileModel.InStage("worker"), i => i.Keyword == "CMD").Arguments);
        Assert.Equal(["run"], DeploymentSurface.Compose.At("services", "worker", "command").Items().Select(i => i.Scalar()));
        var worker = YamlFiles.LoadSingle("deploy/k8s/base/worker-deployment.yaml");
        Assert.Equal(["run"], Assert.Single(worker.At("spec", "template", "spec", "containers").Items()).Child("args").Items().Select(i => i.Scalar()));
        var commands = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src/PainService.Worker"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/") && !p.Contains("/bin/")).Select(File.ReadAllText);
        Assert.Contains(commands, source => source.Contains("new Command(\"run\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Cuda_variant_is_documented_and_the_msbuild_switch_swaps_the_libtorch_package()
    {
        var doc = DeploymentSurface.RepoText("docs/deploy.md");
        foreach (var needle in new[] { "TORCH_BACKEND=cuda", "PainServiceTorchBackend", "libtorch-cuda-12.8-linux-x64", "untested" })
            Assert.Contains(needle, doc);
        var packages = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        Assert.Equal(packages["libtorch-cpu-linux-x64"], packages["libtorch-cuda-12.8-linux-x64"]);

        Assert.Equal(["TorchSharp", "TorchSharp.PyBridge", "libtorch-cuda-12.8-linux-x64"], PackageReferences("cuda"));
        Assert.Equal(["TorchSharp", "TorchSharp.PyBridge", "libtorch-cpu-linux-x64"], PackageReferences("cpu"));
    }

    // Evaluation only (no restore): the CUDA package is not on this project's feed.
    private static string[] PackageReferences(string backend)
    {
        var psi = new ProcessStartInfo("dotnet",
            ["msbuild", Path.Combine(RepoPaths.Root, "src/PainService.Model/PainService.Model.csproj"),
             "-getItem:PackageReference", $"-p:PainServiceTorchBackend={backend}"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output + process.StandardError.ReadToEnd());
        using var json = System.Text.Json.JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }
}
