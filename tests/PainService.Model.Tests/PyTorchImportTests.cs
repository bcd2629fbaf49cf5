using System.IO.Compression;
using PainService.Model.Checkpoints;
using PainService.Model.Tests.Support;
using PainService.Model.Weights;
using PainService.Testing;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PainService.Model.Tests;

/// <summary>head_only_checkpoint.pth: the authors' format ({'epoch', 'state_dict'}, 'module.' keys), no backbone keys.</summary>
public sealed class PyTorchImportTests(ITestOutputHelper output)
{
    private static string Fixture => RepoPaths.Golden("head_only_checkpoint.pth");

    [Fact]
    public void FixtureUnwrapsToBareKeysOnTheCpu()
    {
        var sd = PyTorchCheckpointImporter.ReadStateDict(Fixture);
        try
        {
            var info = Golden.Json("weights_selfcheck.json").GetProperty("checkpoint");
            Assert.Equal(info.GetProperty("keys").GetInt32(), sd.Count);
            Assert.Equal(info.GetProperty("numel").GetInt64(), sd.Values.Sum(t => t.numel()));
            Assert.All(sd.Keys, k => Assert.False(k.StartsWith("module."), k));
            Assert.Contains("global_linear.fc.weight", sd.Keys);
            Assert.All(sd.Values, t => Assert.Equal(DeviceType.CPU, t.device_type));
        }
        finally
        {
            foreach (var t in sd.Values) t.Dispose();
        }
    }

    [Fact]
    public void StrictImportFailsNamingEveryMissingKey()
    {
        using var net = new GraphAuPainNet(new GraphAuConfig());
        var ex = Assert.Throws<CheckpointMismatchException>(() => PyTorchCheckpointImporter.Import(net, Fixture));
        var backboneKeys = net.state_dict().Keys.Where(k => k.StartsWith("backbone.")).ToList();
        Assert.Equal(backboneKeys.Order(), ex.Report.Missing.Order());
        foreach (var key in new[] { "backbone.conv1.weight", "backbone.layer4.2.bn3.num_batches_tracked" })
            Assert.Contains($"missing: {key}", ex.Message);
    }

    [Fact]
    public void PartialImportLoadsEveryHeadValueExactlyAndReportsTheBackboneAsNotLoaded()
    {
        using var net = new GraphAuPainNet(new GraphAuConfig());
        var report = PyTorchCheckpointImporter.Import(net, Fixture, allowPartial: true);

        var sd = net.state_dict();
        var backboneKeys = sd.Keys.Where(k => k.StartsWith("backbone.")).ToHashSet();
        Assert.Equal(backboneKeys.Order(), report.Missing.Order());
        Assert.Empty(report.Unexpected);
        Assert.Empty(report.ShapeMismatches);
        Assert.Equal(sd.Keys.Where(k => !backboneKeys.Contains(k)).Order(), report.Loaded.Order());

        long checkedValues = 0;
        foreach (var key in report.Loaded)
        {
            var actual = sd[key];
            if (key.EndsWith("num_batches_tracked"))
            {
                Assert.Equal(0L, actual.item<long>());
                continue;
            }
            var expected = FormulaWeights.Values(key, actual.shape);
            var values = actual.contiguous().data<float>().ToArray();
            Assert.True(expected.AsSpan().SequenceEqual(values), $"{key} differs from the weight formula");
            checkedValues += values.Length;
        }
        output.WriteLine($"{report.Loaded.Count} keys loaded, {checkedValues} values equal the formula; {report.Missing.Count} backbone keys not loaded");
    }

    [Fact]
    public void StoragesTaggedCudaAreReadOntoTheCpu()
    {
        // Rewrite the fixture's pickle so every storage says 'cuda:0', as in checkpoints saved on a GPU.
        var path = Path.Combine(Path.GetTempPath(), $"cuda-tagged-{Guid.NewGuid():N}.pth");
        try
        {
            using (var source = ZipFile.OpenRead(Fixture))
            using (var target = ZipFile.Open(path, ZipArchiveMode.Create))
            {
                foreach (var entry in source.Entries)
                {
                    using var input = entry.Open();
                    using var buffer = new MemoryStream();
                    input.CopyTo(buffer);
                    var bytes = buffer.ToArray();
                    if (entry.FullName.EndsWith("data.pkl"))
                    {
                        byte[] cpu = [(byte)'X', 3, 0, 0, 0, .."cpu"u8], cuda = [(byte)'X', 6, 0, 0, 0, .."cuda:0"u8];
                        var at = bytes.AsSpan().IndexOf(cpu);
                        Assert.True(at > 0);
                        bytes = [.. bytes[..at], .. cuda, .. bytes[(at + cpu.Length)..]];
                    }
                    using var output = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                    output.Write(bytes);
                }
            }
            using var net = new GraphAuPainNet(new GraphAuConfig());
            var report = PyTorchCheckpointImporter.Import(net, path, allowPartial: true);
            Assert.Equal(81, report.Loaded.Count);
            Assert.Equal(FormulaWeights.Values("head.sc", [8, 512])[..8], net.state_dict()["head.sc"].data<float>().ToArray()[..8]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
