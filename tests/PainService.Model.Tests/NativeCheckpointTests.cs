using System.Text.Json.Nodes;
using PainService.Model.Checkpoints;
using PainService.Model.Inference;
using PainService.Model.Tests.Support;
using PainService.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Tests;

public sealed class NativeCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("painservice-ckpt-").FullName;

    [Fact]
    public void SaveThenLoadRoundTripsWeightsManifestAndSections()
    {
        using var net = FormulaWeights.Apply(new GraphAuPainNet(new GraphAuConfig { ClassCount = 4 }));
        var manifest = new CheckpointManifest
        {
            Architecture = net.Config, Scheme = PainScheme.FourLevel, Name = "test", Version = "7", Trained = true,
            Metadata = new JsonObject { ["metrics"] = new JsonObject { ["f1"] = 0.66 }, ["temperature"] = 1.5 },
        };
        var path = Path.Combine(_dir, "sub", "model.ckpt");
        NativeCheckpoint.Save(path, manifest, net, new Dictionary<string, Action<Stream>> { ["optimizer.bin"] = s => s.Write([1, 2, 3]) });

        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));    // no temp file left behind
        var (loaded, m) = NativeCheckpoint.LoadPainModel(path);
        using (loaded)
        {
            Assert.Equal(PainScheme.FourLevel, m.Scheme);
            Assert.Equal(4, m.Architecture.ClassCount);
            Assert.True(m.Trained);
            Assert.Equal(0.66, m.Metadata["metrics"]!["f1"]!.GetValue<double>());
            var expected = net.state_dict();
            foreach (var (key, value) in loaded.state_dict())
                Assert.True(value.eq(expected[key]).all().item<bool>(), key);
        }
        using var reader = NativeCheckpoint.Open(path);
        Assert.Equal(["optimizer.bin"], reader.SectionNames);
        using var section = reader.OpenSection("optimizer.bin");
        var buffer = new byte[3];
        section.ReadExactly(buffer);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer);
    }

    [Fact]
    public void WeightsEntryIsReadableByTorchSharpModuleLoad()
    {
        using var net = FormulaWeights.Apply(new GraphAuNet(new GraphAuConfig()));
        var path = Path.Combine(_dir, "stage1.ckpt");
        NativeCheckpoint.Save(path, new CheckpointManifest { Model = ModelKind.Stage1 }, net);
        using var reader = NativeCheckpoint.Open(path);
        using var weights = new MemoryStream();
        using (var s = reader.OpenSection(NativeCheckpoint.WeightsEntry))
            s.CopyTo(weights);
        weights.Position = 0;
        using var other = new GraphAuNet(new GraphAuConfig());
        other.load(weights);
        Assert.True(other.state_dict()["head.sc"].eq(net.state_dict()["head.sc"]).all().item<bool>());
        Assert.True(other.state_dict()["backbone.layer4.2.bn3.running_var"].eq(net.state_dict()["backbone.layer4.2.bn3.running_var"]).all().item<bool>());
    }

    [Fact]
    public void SerialisationIsDeterministic()
    {
        using var net = PainModelFactory.CreateUntrainedReference();
        var manifest = PainModelFactory.UntrainedManifest();
        var (a, shaA) = NativeCheckpoint.Serialize(manifest, net);
        var (b, shaB) = NativeCheckpoint.Serialize(manifest, net);
        Assert.Equal(shaA, shaB);
        Assert.Equal(a, b);
    }

    [Fact]
    public void LoadingIntoAMismatchedModelNamesEveryProblem()
    {
        using var net = FormulaWeights.Apply(new GraphAuPainNet(new GraphAuConfig()));
        var path = Path.Combine(_dir, "pain.ckpt");
        NativeCheckpoint.Save(path, new CheckpointManifest(), net);

        using var reader = NativeCheckpoint.Open(path);
        using var stage1 = new GraphAuNet(new GraphAuConfig());
        var ex = Assert.Throws<CheckpointMismatchException>(() => reader.LoadWeightsInto(stage1));
        Assert.Equal(["fc.bias", "fc.weight", "fc_au.bias", "fc_au.weight", "fc_bb.bias", "fc_bb.weight", "fc_pe.bias", "fc_pe.weight"],
            ex.Report.Unexpected.Order(StringComparer.Ordinal));
        Assert.Empty(ex.Report.Missing);
        Assert.Contains("unexpected: fc_bb.weight", ex.Message);

        using var fourClass = new GraphAuPainNet(new GraphAuConfig { ClassCount = 4 });
        var mismatch = Assert.Throws<CheckpointMismatchException>(() => reader.LoadWeightsInto(fourClass, allowPartial: true));
        Assert.Equal(["fc.weight", "fc.bias"], mismatch.Report.ShapeMismatches.Select(m => m.Key));
        Assert.Contains("shape mismatch: fc.weight: model [4, 72], checkpoint [3, 72]", mismatch.Message);
    }

    [Fact]
    public void AFailedSaveLeavesThePreviousFileAndNoTemporary()
    {
        using var net = new GraphAuNet(new GraphAuConfig());
        var path = Path.Combine(_dir, "keep.ckpt");
        File.WriteAllText(path, "previous");
        Assert.Throws<InvalidOperationException>(() => NativeCheckpoint.Save(path, new CheckpointManifest { Model = ModelKind.Stage1 }, net,
            new Dictionary<string, Action<Stream>> { ["boom.bin"] = _ => throw new InvalidOperationException("disk full") }));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
