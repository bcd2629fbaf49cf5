using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Worker.Datasets;
using PainService.Worker.Evaluation;
using PainService.Worker.Progress;
using TorchSharp;
using PainService.Model.Inference;

namespace PainService.Worker.Training;

/// <summary>
/// <c>evaluate --checkpoint C --dataset D --fold F</c>: the pain model on a split (the test list by default) with the
/// test transform, spec §7.1 metrics, the report folder (with the run's loss/F1 curves when the checkpoint carries a
/// training history) and the predictions in the authors' one-hot line format.
/// </summary>
public static class CheckpointEvaluation
{
    public const string PredictionsFile = "predictions.txt";

    public static ReportDocument Run(string checkpoint, string dataset, int fold, string listFolder, string output, DatasetSplit split = DatasetSplit.Test,
        int batchSize = 32, TrainingProgress? progress = null, CancellationToken cancellationToken = default, string device = TrainingDevice.Auto)
    {
        var target = TrainingDevice.Resolve(device);
        var (net, manifest) = NativeCheckpoint.LoadPainModel(checkpoint);
        using (net)
        {
            net.to(target);
            var data = ReadSplit(dataset, split, fold, manifest.Scheme, listFolder);
            var transform = new FrameTransform(net.Config.InputSize, CropMode.Legacy);
            var logits = SplitPredictor.Run(net, x => net.call(x).Logits, data, new FrameCache(data), transform, batchSize, progress, cancellationToken);
            var predicted = logits.Select(ConfusionMatrix.ArgMax).ToList();
            var metrics = PainMetrics.Compute(ConfusionMatrix.FromLabels(data.PainClasses!, predicted, manifest.Scheme.ClassCount()), manifest.Scheme.Labels());
            var history = manifest.Metadata["history"]?.Deserialize<List<EpochRecord>>(EvaluationReport.Json);
            var source = new Dictionary<string, string>
            {
                ["checkpoint"] = Path.GetFullPath(checkpoint),
                ["weightsSha256"] = NativeCheckpoint.Sha256OfFile(checkpoint),
                ["model"] = $"{manifest.Name} {manifest.Version}",
                ["dataset"] = Path.GetFullPath(dataset),
                ["split"] = $"{split.FileWord()} list of fold {fold} ({listFolder})",
                ["subjects"] = string.Join(", ", data.Subjects),
            };
            source["device"] = TrainingDevice.Name(target);
            if (manifest.Metadata[Calibration.MetadataKey] is JsonValue t)
                source[Calibration.MetadataKey] = t.ToString();
            var document = EvaluationReport.Write(output, metrics, manifest.Scheme.ToString(), source, history);
            var classes = manifest.Scheme.ClassCount();
            AtomicFile.WriteText(Path.Combine(output, PredictionsFile),
                string.Join('\n', predicted.Select(p => string.Join(' ', Enumerable.Range(0, classes).Select(c => c == p ? "1" : "0")))) + "\n");
            return document;
        }
    }

    /// <summary>
    /// The list an evaluation reads, with every check of <see cref="UnbcDatasetReader"/> (row counts, missing images,
    /// non-numeric cells, one-hot rows). <c>train</c> calls it before its first epoch for the test list it will
    /// evaluate afterwards, so a broken test list fails the run before any training, not after the last epoch.
    /// </summary>
    public static UnbcSplit ReadSplit(string dataset, DatasetSplit split, int fold, PainScheme scheme, string listFolder) =>
        UnbcDatasetReader.Read(dataset, split, new DatasetReadOptions { Fold = fold, Scheme = scheme, ListFolder = listFolder, RequirePainLabels = true });

    /// <summary>The compact metrics block stored in a model's manifest and a job record.</summary>
    public static JsonObject Summary(ReportDocument report) => new()
    {
        ["n"] = report.N,
        ["macroF1"] = report.Macro.F1,
        ["macroPrecision"] = report.Macro.Precision,
        ["macroRecall"] = report.Macro.Recall,
        ["accuracy"] = report.Accuracy,
        ["meanOneVsRestAccuracy"] = report.MeanOneVsRestAccuracy,
        ["f1"] = new JsonObject(report.Classes.Select(c => KeyValuePair.Create(c.Name, (JsonNode?)JsonValue.Create(c.F1)))),
    };
}
