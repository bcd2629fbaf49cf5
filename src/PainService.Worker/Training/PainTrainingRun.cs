using System.Text.Json.Nodes;
using PainService.Model.Checkpoints;
using PainService.Worker.Datasets;
using PainService.Worker.Progress;
using PainService.Model.Inference;

namespace PainService.Worker.Training;

/// <summary>
/// A whole stage-2 run as the CLI and the job worker perform it: train (or resume), optionally fit the temperature
/// on the validation split and store it in best.ckpt, optionally evaluate best.ckpt on the fold's test list and
/// record those metrics in its manifest (for the API's model registry) — after selection, never for it. Every list the
/// run will read is validated before the first epoch: the training list (and its validation carve-out) by the trainer,
/// the test list here when it will be evaluated.
/// </summary>
public static class PainTrainingRun
{
    public sealed record Result(TrainingState State, string BestCheckpoint, double? Temperature, JsonObject? TestMetrics);

    public static Result Execute(TrainingOptions options, bool evaluateTest, TrainingProgress progress, Action<TrainingState>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        using var trainer = new PainTrainer(options, progress) { EpochCompleted = onEpoch };
        if (evaluateTest)
        {
            // Read and validate the test list now, with the evaluation's own reader and checks: a missing image or a
            // malformed row must stop the run before the first epoch, not after the last one.
            var testList = CheckpointEvaluation.ReadSplit(options.Dataset, DatasetSplit.Test, options.Fold, options.Scheme, options.ListFolder);
            Console.WriteLine($"train: test list of fold {options.Fold} checked before training: {testList.Count} frames of {testList.Subjects.Count} subjects (evaluated only after training)");
        }
        var state = trainer.Run(cancellationToken);
        var best = trainer.Checkpoints.Best;
        double? temperature = null;
        if (options.TemperatureScaling)
        {
            using (var reader = NativeCheckpoint.Open(best))
                reader.LoadWeightsInto(trainer.Net);
            var logits = trainer.ValidationLogits(cancellationToken);
            var labels = trainer.ValidationData.PainClasses!;
            var t = TemperatureScaling.Fit(logits, labels);
            var before = TemperatureScaling.Nll(logits, labels, 1);
            var after = TemperatureScaling.Nll(logits, labels, t);
            CheckpointRewriter.UpdateMetadata(best, m =>
            {
                m[Calibration.MetadataKey] = t;
                m["calibration"] = new JsonObject { ["method"] = "temperature scaling on the validation split", ["nllBefore"] = before, ["nllAfter"] = after };
            });
            Console.WriteLine(FormattableString.Invariant($"train: temperature {t:0.000} (validation NLL {before:0.0000} → {after:0.0000})"));
            temperature = t;
        }
        JsonObject? test = null;
        if (evaluateTest)
        {
            var report = CheckpointEvaluation.Run(best, options.Dataset, options.Fold, options.ListFolder, Path.Combine(options.OutputDirectory, "test-report"),
                DatasetSplit.Test, Math.Max(1, options.BatchSize), progress, cancellationToken, options.Device);
            test = CheckpointEvaluation.Summary(report);
            var stored = (JsonObject)test.DeepClone();
            CheckpointRewriter.UpdateMetadata(best, m => m["metrics"] = stored);
            Console.WriteLine(FormattableString.Invariant(
                $"train: test fold {options.Fold}: macro-F1 {100 * report.Macro.F1:0.00}, accuracy {100 * report.Accuracy:0.00} (report in {Path.Combine(options.OutputDirectory, "test-report")})"));
        }
        return new Result(state, best, temperature, test);
    }
}
