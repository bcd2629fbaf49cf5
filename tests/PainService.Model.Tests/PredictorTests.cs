using PainService.Model.Checkpoints;
using PainService.Model.Inference;
using PainService.Model.Tests.Support;
using PainService.Model.Weights;
using TorchSharp;
using Xunit.Abstractions;

namespace PainService.Model.Tests;

public sealed class PredictorTests(ITestOutputHelper output)
{
    [Fact]
    public void EmbeddedModelIsTheUntrainedReferenceAndMatchesTheGolden()
    {
        using var predictor = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu", IntraOpThreads = 1 });
        var d = predictor.Descriptor;
        Assert.False(d.Trained);
        Assert.Equal("untrained-reference", d.Version);
        Assert.Equal("cpu", d.Device);
        Assert.Equal(PainScheme.ThreeLevel, d.Scheme);
        Assert.Matches("^[0-9a-f]{64}$", d.WeightsSha256);
        Assert.Equal(172, predictor.InputSize);

        var results = predictor.Predict([FormulaInput.Image(0), FormulaInput.Image(1)]);
        var golden = Golden.Json("forward_eval.json").GetProperty("batch2");
        var parity = new Parity(output);
        parity.AllClose("logits", golden.GetProperty("logits").Doubles(), results.SelectMany(r => r.Logits).Select(v => (double)v).ToArray());
        parity.AllClose("au", golden.GetProperty("au_cl").Doubles(), results.SelectMany(r => r.AuScores).Select(v => (double)v).ToArray());
        Assert.Equal(golden.GetProperty("adjacency").Doubles(), results.SelectMany(r => r.Adjacency.SelectMany(row => row)).Select(v => (double)v));
        parity.AllClose("normalized", golden.GetProperty("normalized_adjacency").Doubles(),
            results.SelectMany(r => r.NormalizedAdjacency.SelectMany(row => row)).Select(v => (double)v).ToArray());
        Assert.Equal(512, results[0].GraphRepresentation.Length);
        Assert.Equal(golden.GetProperty("pe_score")[1].GetProperty("first8").Doubles()[0], results[1].GraphRepresentation[0], 5);
    }

    [Fact]
    public void EmbeddedHashIsStableAcrossLoadsAndEqualsTheSavedFileHash()
    {
        using var a = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu" });
        using var b = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu" });
        Assert.Equal(a.Descriptor.WeightsSha256, b.Descriptor.WeightsSha256);

        var path = Path.Combine(Path.GetTempPath(), $"embedded-{Guid.NewGuid():N}.ckpt");
        try
        {
            using var net = PainModelFactory.CreateUntrainedReference();
            NativeCheckpoint.Save(path, PainModelFactory.UntrainedManifest(), net);
            Assert.Equal(a.Descriptor.WeightsSha256, NativeCheckpoint.Sha256OfFile(path));
            using var fromFile = PainModelFactory.CreatePredictor(new PainModelOptions { CheckpointPath = path, Device = "cpu" });
            Assert.Equal(a.Descriptor.WeightsSha256, fromFile.Descriptor.WeightsSha256);
            Assert.Throws<InvalidOperationException>(() =>
                PainModelFactory.CreatePredictor(new PainModelOptions { CheckpointPath = path, Scheme = PainScheme.Binary }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TwentyPredictCallsLeaveTheLiveTensorCountFlat()
    {
        using var predictor = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu" });
        var inputs = new[] { FormulaInput.Image(0) };
        predictor.Predict(inputs);                                        // warm-up
        DisposeScopeManager.Statistics.Reset();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 20; i++)
            predictor.Predict(inputs);
        output.WriteLine($"live tensors before {before}, after {DisposeScopeManager.Statistics.ThreadTotalLiveCount}; " +
                         $"created in scopes {DisposeScopeManager.Statistics.CreatedInScopeCount}");
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void TheThreadSettingAppliesOnTheThreadThatPredicts()
    {
        using var predictor = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu", IntraOpThreads = 1 });
        var seen = 0;
        var worker = new Thread(() =>
        {
            torch.set_num_threads(2);                      // as if this thread had run torch work before
            predictor.Predict([FormulaInput.Image(0)]);
            seen = torch.get_num_threads();
        });
        worker.Start();
        worker.Join();
        Assert.Equal(1, seen);
    }

    [Fact]
    public void MissingCheckpointAndUnknownDeviceFailClearly()
    {
        Assert.Throws<FileNotFoundException>(() => PainModelFactory.CreatePredictor(new PainModelOptions { CheckpointPath = "/nonexistent/model.ckpt" }));
        Assert.Throws<ArgumentException>(() => PainModelFactory.ResolveDevice("tpu"));
        Assert.Equal(DeviceType.CPU, PainModelFactory.ResolveDevice("cpu").type);
        if (!torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CPU, PainModelFactory.ResolveDevice("auto").type);
            Assert.Throws<InvalidOperationException>(() => PainModelFactory.ResolveDevice("cuda"));
        }
    }

    [Fact]
    public void FusedConvBnPathStaysWithinTolerance()
    {
        using var predictor = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu", FuseConvBn = true });
        var results = predictor.Predict([FormulaInput.Image(0), FormulaInput.Image(1)]);
        var golden = Golden.Json("forward_eval.json").GetProperty("batch2");
        var parity = new Parity(output);
        parity.AllClose("fused logits", golden.GetProperty("logits").Doubles(), results.SelectMany(r => r.Logits).Select(v => (double)v).ToArray());
        parity.AllClose("fused au", golden.GetProperty("au_cl").Doubles(), results.SelectMany(r => r.AuScores).Select(v => (double)v).ToArray());
        Assert.Equal(golden.GetProperty("adjacency").Doubles(), results.SelectMany(r => r.Adjacency.SelectMany(row => row)).Select(v => (double)v));
    }
}
