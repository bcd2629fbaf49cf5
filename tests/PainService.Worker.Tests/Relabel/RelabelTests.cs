using PainService.Model;
using PainService.Model.Checkpoints;
using System.IO.Compression;
using PainService.Model.Mefl;
using PainService.Model.Weights;
using PainService.Worker.Datasets;
using PainService.Worker.Relabel;
using PainService.Worker.Tests.Commands;
using PainService.Worker.Tests.Training;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Relabel;

[Collection(nameof(ProcessWideTorchState))]
public sealed class RelabelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MergeTakesSharedAusFromLabelsAndAu1Au2FromStrictThreshold()
    {
        float[] original = [3, 2, 1, 4, 0, 1, 1, 0, 5, 1]; // AU4 AU6 AU7 AU9 AU10 AU12 AU20 AU25 AU26 AU43

        var row = UnbcPlusMerge.Row([.. original.Select(v => Math.Min(v, 1f))], au1Score: 0.5f, au2Score: 0.51f, legacyCopyBug: false);

        Assert.Equal(new float[] { 0, 1, 1, 1, 1, 1, 0, 1 }, row); // 0.5 is not > 0.5 (Q17)
        Assert.Equal(new float[] { 1, 1 }, UnbcPlusMerge.Row([.. original.Select(v => Math.Min(v, 1f))], 0, 0, legacyCopyBug: true)[..2]);
    }

    [Fact]
    public async Task RelabelWritesUnbcPlusListsFromTheModelsPredictions()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 6);
        var checkpoint = _dir.Combine("mefl.ckpt");
        using (var net = new MeflNet(ModelPresets.Get("ci", PainScheme.ThreeLevel)))
            NativeCheckpoint.Save(checkpoint, new CheckpointManifest { Model = ModelKind.Stage1, Architecture = net.Config }, net);

        var errors = new StringWriter();
        Console.SetError(errors);
        Assert.True(0 == await Cli.RunAsync("relabel", "--dataset", data, "--checkpoint", checkpoint, "--out-lists", "list/plus"), errors.ToString());
        Assert.Equal(0, await Cli.RunAsync("relabel", "--dataset", data, "--checkpoint", checkpoint, "--out-lists", "list/legacy", "--legacy-copy-bug"));

        var read = new DatasetReadOptions { RequireAuLabels = true, CheckImages = false };
        var original = UnbcDatasetReader.Read(data, DatasetSplit.Test, read with { ListFolder = "list/unbc10", AuColumns = 10 });
        var plus = UnbcDatasetReader.Read(data, DatasetSplit.Test, read with { ListFolder = "list/plus", RequirePainLabels = true });
        var legacy = UnbcDatasetReader.Read(data, DatasetSplit.Test, read with { ListFolder = "list/legacy" });
        using var model = Relabeller.LoadModel(checkpoint, "ci");
        var scores = SplitPredictor.Run(model, x => model.call(x).AuScores, original, new FrameCache(original), new FrameTransform(model.Config.InputSize, CropMode.Legacy), 8);

        Assert.Equal(original.ImagePaths, plus.ImagePaths);
        for (var i = 0; i < original.Count; i++)
        {
            var o = original.AuLabels![i];
            Assert.Equal(new[] { o[0], o[1], o[3], o[5], o[7], o[8] }, plus.AuLabels![i][2..]);
            Assert.Equal(scores[i][0] > 0.5f ? 1f : 0f, plus.AuLabels[i][0]);
            Assert.Equal(scores[i][1] > 0.5f ? 1f : 0f, plus.AuLabels[i][1]);
            Assert.Equal(new[] { o[0], o[1] }, legacy.AuLabels![i][..2]);
        }
        Assert.True(File.Exists(Path.Combine(data, "list/plus/relabel.json")));
        Assert.Equal(original.Count, plus.PainClasses!.Count); // pain labels copied alongside
    }
    /// <summary>
    /// ME-GraphAU's DISFA weights come as a .pth ({'epoch', 'state_dict'}, 'module.' keys): the same formula weights
    /// written that way and natively must load bit-identically and give the same UNBC+ lists. Formula weights (not a
    /// random init) make the AU1/AU2 predictions mixed, so equal lists mean equal decisions, not two constants.
    /// </summary>
    [Fact]
    public async Task AnAuthorsFormatPthCheckpointRelabelsExactlyLikeTheSameWeightsInNativeFormat()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 6);
        string native = _dir.Combine("mefl.ckpt"), pth = _dir.Combine("MEFARG_resnet50_DISFA_fold1.pth");
        using (var net = FormulaWeights.Apply(new MeflNet(ModelPresets.Get("ci", PainScheme.ThreeLevel))))
        {
            NativeCheckpoint.Save(native, new CheckpointManifest { Model = ModelKind.Stage1, Architecture = net.Config }, net);
            AuthorsCheckpointFile.Write(net, pth, epoch: 19);
        }
        using (var zip = ZipFile.OpenRead(pth))
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        using (var imported = Relabeller.LoadModel(pth, "ci"))
        using (var reference = Relabeller.LoadModel(native, "ci"))
        {
            var expected = reference.state_dict();
            foreach (var (key, tensor) in imported.state_dict())
                Assert.True(tensor.eq(expected[key]).all().item<bool>(), $"{key} differs after the .pth import");
        }

        Assert.Equal(0, await Cli.RunAsync("relabel", "--dataset", data, "--checkpoint", native, "--out-lists", "list/native", "--batch-size", "8"));
        Assert.Equal(0, await Cli.RunAsync("relabel", "--dataset", data, "--checkpoint", pth, "--preset", "ci", "--out-lists", "list/pth", "--batch-size", "8"));

        var predicted = new List<float>();
        foreach (var split in new[] { DatasetSplit.Train, DatasetSplit.Test })
        {
            var read = new DatasetReadOptions { RequireAuLabels = true, RequireAuPositives = false, CheckImages = false };
            var fromNative = UnbcDatasetReader.Read(data, split, read with { ListFolder = "list/native" }).AuLabels!;
            var fromPth = UnbcDatasetReader.Read(data, split, read with { ListFolder = "list/pth" }).AuLabels!;
            Assert.Equal(fromNative.Select(r => (r[0], r[1])), fromPth.Select(r => (r[0], r[1]))); // AU1, AU2: the model's
            Assert.Equal(fromNative, fromPth);
            predicted.AddRange(fromPth.SelectMany(r => r[..2]));
        }
        Assert.True(predicted.Contains(0f) && predicted.Contains(1f), $"AU1/AU2 predictions: {predicted.Count(v => v == 1f)} of {predicted.Count} positive");
    }
}
