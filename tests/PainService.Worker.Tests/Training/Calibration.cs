using PainService.Model.Checkpoints;
using PainService.Worker.Datasets;
using PainService.Worker.Tests.Commands;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Training;

/// <summary>An independent refit of a train run's calibration temperature on its validation split.</summary>
internal static class Calibration
{
    /// <summary>
    /// Re-carves the run's validation subjects from the fold-1 training list, predicts them with the checkpoint and the
    /// test transform, and fits T again: (stored T, refitted T, NLL at the stored T, NLL at T = 1).
    /// </summary>
    public static (double Stored, double Refitted, double NllAtT, double NllAtOne) Refit(string data, string checkpoint, double validationFraction, int seed, int batchSize)
    {
        var (net, manifest) = NativeCheckpoint.LoadPainModel(checkpoint);
        using (net)
        {
            var full = UnbcDatasetReader.Read(data, DatasetSplit.Train, new DatasetReadOptions { Scheme = manifest.Scheme, RequirePainLabels = true });
            var validation = ValidationSplit.Carve(full, validationFraction, seed).Validation;
            var logits = SplitPredictor.Run(net, x => net.call(x).Logits, validation, new FrameCache(validation), new FrameTransform(net.Config.InputSize, CropMode.Legacy), batchSize);
            var labels = validation.PainClasses!;
            var stored = manifest.Metadata["temperature"]!.GetValue<double>();
            return (stored, TemperatureScaling.Fit(logits, labels), TemperatureScaling.Nll(logits, labels, stored), TemperatureScaling.Nll(logits, labels, 1));
        }
    }
}

public sealed class TemperatureScalingRunTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheStoredTemperatureIsTheRefitOnTheValidationSplit()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var run = _dir.Combine("run");

        Assert.Equal(0, await Cli.RunAsync([.. TinyDataset.TrainArgs(data, run, epochs: 2), "--temperature-scaling"]));

        var (stored, refitted, nllAtT, nllAtOne) = Calibration.Refit(data, Path.Combine(run, "best.ckpt"), validationFraction: 0.34, seed: 0, batchSize: 8);
        Assert.Equal(refitted, stored, refitted * 1e-5);
        Assert.True(nllAtT <= nllAtOne, $"NLL {nllAtT} at T = {stored} exceeds {nllAtOne} at T = 1");
        Assert.NotEqual(1.0, stored, 1e-3); // a fit happened (a 2-epoch model is not calibrated by chance)
    }
}
