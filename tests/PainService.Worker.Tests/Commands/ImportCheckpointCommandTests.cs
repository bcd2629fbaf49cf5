using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Model.Weights;
using PainService.Testing;

namespace PainService.Worker.Tests.Commands;

/// <summary>import-checkpoint on the authors'-format fixture (head_only_checkpoint.pth: no backbone keys).</summary>
public sealed class ImportCheckpointCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture => RepoPaths.Golden("head_only_checkpoint.pth");

    [Fact]
    public async Task PartialImportWritesANativeCheckpointWithTheHeadFromTheFixture()
    {
        var output = _dir.Combine("imported.ckpt");
        Assert.Equal(0, await Cli.RunAsync("import-checkpoint", Fixture, output, "--allow-partial", "--version", "fixture"));

        using var reader = NativeCheckpoint.Open(output);
        var m = reader.Manifest;
        Assert.Equal(ModelKind.Pain, m.Model);
        Assert.Equal(PainScheme.ThreeLevel, m.Scheme);
        Assert.Equal("fixture", m.Version);
        Assert.False(m.Trained);                                        // the backbone keeps its initial values
        var notLoaded = m.Metadata["provenance"]!["notLoaded"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(318, notLoaded.Count);
        Assert.All(notLoaded, k => Assert.StartsWith("backbone.", k));

        var weights = reader.ReadWeights();
        try
        {
            foreach (var key in new[] { "head.sc", "fc.weight", "global_linear.fc.weight", "head.gnn.bnv.running_var" })
                Assert.Equal(FormulaWeights.Values(key, weights[key].shape), weights[key].data<float>().ToArray());
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    [Fact]
    public async Task StrictImportRefusesTheHeadOnlyFixtureAndWritesNothing()
    {
        var output = _dir.Combine("strict.ckpt");
        Assert.Equal(2, await Cli.RunAsync("import-checkpoint", Fixture, output));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Stage1ImportIgnoresThePainHeadKeys()
    {
        var output = _dir.Combine("stage1.ckpt");
        Assert.Equal(0, await Cli.RunAsync("import-checkpoint", Fixture, output, "--allow-partial", "--model", "stage1"));
        using var reader = NativeCheckpoint.Open(output);
        Assert.Equal(ModelKind.Stage1, reader.Manifest.Model);
        var ignored = reader.Manifest.Metadata["provenance"]!["ignored"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["fc.bias", "fc.weight", "fc_au.bias", "fc_au.weight", "fc_bb.bias", "fc_bb.weight", "fc_pe.bias", "fc_pe.weight"], ignored);
    }
}
