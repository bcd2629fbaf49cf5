using System.Text.Json;
using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Model.Mefl;
using PainService.Worker.Datasets;
using PainService.Worker.Progress;
using PainService.Worker.Training;
using TorchSharp;

namespace PainService.Worker.Relabel;

/// <summary>
/// Stage 0: runs ME-GraphAU's DISFA model (MEFL) with the test transform over both lists of a fold and writes a
/// UNBC+ list folder beside the original one: the image lists, the 8-column UNBC+ labels and any pain files copied
/// unchanged, plus <c>relabel.json</c> recording the checkpoint and the merge mode.
/// </summary>
public static class Relabeller
{
    public sealed record Options(string Dataset, int Fold, string Checkpoint, string OriginalLists = "list/unbc10", string OutputLists = "list/unbcplus",
        bool LegacyCopyBug = false, int BatchSize = 16, string Preset = "paper", string Device = TrainingDevice.Auto);

    public static MeflNet LoadModel(string checkpoint, string preset)
    {
        if (checkpoint.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || checkpoint.EndsWith(".pt", StringComparison.OrdinalIgnoreCase))
        {
            var net = new MeflNet(ModelPresets.Get(preset, PainScheme.ThreeLevel));
            PyTorchCheckpointImporter.Import(net, checkpoint);
            return net;
        }
        using var reader = NativeCheckpoint.Open(checkpoint);
        var native = new MeflNet(reader.Manifest.Architecture);
        reader.LoadWeightsInto(native);
        return native;
    }

    public static int Run(Options options, TrainingProgress? progress = null, CancellationToken cancellationToken = default)
    {
        var device = TrainingDevice.Resolve(options.Device);
        Console.WriteLine($"relabel: device {TrainingDevice.Name(device)} (--device {options.Device})");
        using var net = LoadModel(options.Checkpoint, options.Preset);
        net.to(device);
        var source = new UnbcLayout(options.Dataset, options.OriginalLists);
        var target = new UnbcLayout(options.Dataset, options.OutputLists);
        if (Path.GetFullPath(source.ListDirectory) == Path.GetFullPath(target.ListDirectory))
            throw new ArgumentException("the UNBC+ lists must go to another folder than the original lists");
        Directory.CreateDirectory(target.ListDirectory);
        var transform = new FrameTransform(net.Config.InputSize, CropMode.Legacy);
        var frames = 0;
        foreach (var split in new[] { DatasetSplit.Train, DatasetSplit.Test })
        {
            var data = UnbcDatasetReader.Read(options.Dataset, split,
                new DatasetReadOptions { Fold = options.Fold, ListFolder = options.OriginalLists, AuColumns = 10, RequireAuLabels = true, RequireAuPositives = false });
            var scores = options.LegacyCopyBug
                ? null
                : SplitPredictor.Run(net, x => net.call(x).AuScores, data, new FrameCache(data), transform, options.BatchSize, progress, cancellationToken);
            var rows = data.AuLabels!.Select((original, i) => UnbcPlusMerge.Format(
                UnbcPlusMerge.Row(original, scores?[i][0] ?? 0, scores?[i][1] ?? 0, options.LegacyCopyBug))).ToList();
            AtomicFile.WriteText(target.AuLabels(split, options.Fold), string.Join('\n', rows) + "\n");
            File.Copy(source.ImageList(split, options.Fold), target.ImageList(split, options.Fold), overwrite: true);
            foreach (var (from, to) in new[] { (source.PainLabels(split, options.Fold), target.PainLabels(split, options.Fold)), (source.RawPspi(split, options.Fold), target.RawPspi(split, options.Fold)) })
                if (File.Exists(from))
                    File.Copy(from, to, overwrite: true);
            frames += data.Count;
        }
        AtomicFile.WriteText(Path.Combine(target.ListDirectory, "relabel.json"), JsonSerializer.Serialize(new
        {
            checkpoint = Path.GetFullPath(options.Checkpoint),
            device = TrainingDevice.Name(device),
            fold = options.Fold,
            originalLists = options.OriginalLists,
            au1Au2 = options.LegacyCopyBug ? "copied from UNBC AU4/AU6 (the authors' merge bug, quirk Q2)" : "DISFA model predictions, score > 0.5",
            sharedAus = "AU4, AU6, AU9, AU12, AU25, AU26 from the original labels, occurrence = min(intensity, 1)",
            frames,
        }, new JsonSerializerOptions { WriteIndented = true }));
        return frames;
    }
}
