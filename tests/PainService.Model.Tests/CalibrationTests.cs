using System.Text.Json.Nodes;
using PainService.Model.Checkpoints;
using PainService.Model.Inference;
using TorchSharp;

namespace PainService.Model.Tests;

/// <summary>
/// Issue 4: the temperature the worker's <c>train --temperature-scaling</c> stores in a checkpoint's metadata is read
/// at load (descriptor) and applied to the class probabilities, softmax(logits / T); without one, T = 1 and the
/// probabilities are the plain softmax, bit for bit as before.
/// </summary>
public sealed class CalibrationTests
{
    private static readonly float[] Logits = [0.75f, -1.25f, 2.5f];

    [Fact]
    public void TemperatureOneIsThePlainSoftmaxBitForBit()
    {
        // The service's softmax before calibration existed: max in float32, exp(l − max) in double.
        var max = Logits.Max();
        var exp = Logits.Select(l => Math.Exp(l - max)).ToArray();
        var plain = exp.Select(e => e / exp.Sum()).ToArray();

        Assert.Equal(plain, Calibration.Probabilities(Logits));
        Assert.Equal(plain, Calibration.Probabilities(Logits, 1));
    }

    [Fact]
    public void TemperatureTwoIsTheSoftmaxOfHalfTheLogits()
    {
        var halved = Logits.Select(l => Math.Exp(l / 2.0)).ToArray();
        var expected = halved.Select(e => e / halved.Sum()).ToArray();

        var actual = Calibration.Probabilities(Logits, 2);

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 1e-12);
        Assert.Equal(1.0, actual.Sum(), 1e-12);
        Assert.Equal(2, Array.IndexOf(actual, actual.Max())); // argmax unchanged
        Assert.True(actual[2] < Calibration.Probabilities(Logits)[2] - 0.1); // softer: 0.64 vs 0.84
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.Probabilities(Logits, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.Probabilities(Logits, double.NaN));
    }

    [Fact]
    public void TheManifestTemperatureIsOneWhenAbsentAndMustBeAPositiveNumber()
    {
        Assert.Equal(1, Calibration.TemperatureOf(null));
        Assert.Equal(1, Calibration.TemperatureOf(new JsonObject { ["metrics"] = new JsonObject() }));
        Assert.Equal(1.7315, Calibration.TemperatureOf(new JsonObject { ["temperature"] = 1.7315 }));
        foreach (var bad in new JsonNode?[] { 0, -2.0, "2", true, new JsonArray(2) })
        {
            var metadata = new JsonObject { ["temperature"] = bad };
            Assert.Throws<InvalidDataException>(() => Calibration.TemperatureOf(metadata));
            Assert.Null(Calibration.TryTemperatureOf(metadata));
        }
    }

    [Fact]
    public void TheLoadedModelCarriesTheCheckpointsTemperatureAndRefusesAnUnusableOne()
    {
        var folder = Directory.CreateTempSubdirectory("painservice-calibration-").FullName;
        try
        {
            var calibrated = Save(folder, "t2", new JsonObject { ["temperature"] = 2.0 });
            var plain = Save(folder, "plain", new JsonObject());
            var broken = Save(folder, "broken", new JsonObject { ["temperature"] = -1.0 });

            using (var p = PainModelFactory.CreatePredictor(new PainModelOptions { CheckpointPath = calibrated, Device = "cpu" }))
                Assert.Equal(2.0, p.Descriptor.Temperature);
            using (var p = PainModelFactory.CreatePredictor(new PainModelOptions { CheckpointPath = plain, Device = "cpu" }))
                Assert.Equal(1.0, p.Descriptor.Temperature);
            using (var p = PainModelFactory.CreatePredictor(new PainModelOptions { Device = "cpu" }))
                Assert.Equal(1.0, p.Descriptor.Temperature); // the embedded model
            var error = Assert.Throws<InvalidDataException>(() =>
                PainModelFactory.CreatePredictor(new PainModelOptions { CheckpointPath = broken, Device = "cpu" }));
            Assert.Equal("Model checkpoint 'broken.ckpt': The checkpoint's metadata.temperature must be a positive finite number (got -1).", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A small (ci-preset shape, 96 px) pain model with default initialisation.</summary>
    private static string Save(string folder, string version, JsonObject metadata)
    {
        var config = GraphAuConfig.ForScheme(PainScheme.ThreeLevel) with { StemWidth = 16, NodeDim = 64, InputSize = 96, FusionWidth = 9 };
        torch.random.manual_seed(1);
        using var net = new GraphAuPainNet(config);
        var path = Path.Combine(folder, $"{version}.ckpt");
        NativeCheckpoint.Save(path, new CheckpointManifest
        {
            Architecture = config, Scheme = PainScheme.ThreeLevel, Version = version, Trained = true, Metadata = metadata,
        }, net);
        return path;
    }
}
