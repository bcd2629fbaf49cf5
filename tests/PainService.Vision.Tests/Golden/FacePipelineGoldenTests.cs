using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;
using PainService.Vision.Preprocessing;
using Xunit.Abstractions;

namespace PainService.Vision.Tests.Golden;

/// <summary>Detect → crop → 172 → test transform on astronaut.png vs face_pipeline.json.</summary>
public sealed class FacePipelineGoldenTests(ITestOutputHelper output)
{
    private const int Plane = 172 * 172;
    private static readonly System.Text.Json.JsonElement Golden =
        GoldenFiles.Json("face_pipeline.json").GetProperty("images").GetProperty("astronaut.png");

    [Fact]
    public void PipelineFindsTheGoldenBoxAndBuildsTheGoldenTensor()
    {
        var options = new VisionOptions();
        using var detector = new HaarDetectorPool(options);
        var result = new FacePipeline(new ImageDecoder(options), detector, options).Run(GoldenFiles.Astronaut);

        Assert.Equal((512, 512), (result.ImageWidth, result.ImageHeight));
        var face = Assert.Single(result.Faces);
        var b = GoldenFiles.Ints(Golden.GetProperty("box_xywh"));
        Assert.Equal(new FaceBox(b[0], b[1], b[2], b[3]), face.Box);
        AssertMatchesGolden(face.Input);
        Assert.True(result.DecodeMs > 0 && result.DetectMs > 0 && result.PreprocessMs > 0);
    }

    [Fact]
    public void GoldenBoxAloneGivesTheGoldenTensor()
    {
        // Independent of the detector: the crop/resize/normalise path on the golden box.
        AssertMatchesGolden(ModelInputBuilder.FromFace(GoldenFiles.AstronautDecoded, new FaceBox(177, 66, 95, 95)));
    }

    private void AssertMatchesGolden(float[] chw)
    {
        Assert.Equal(3 * Plane, chw.Length);
        double maxAbs = 0, sumAbs = 0;
        var samples = Golden.GetProperty("samples").EnumerateArray().ToArray();
        foreach (var s in samples)
        {
            var actual = chw[s.GetProperty("c").GetInt32() * Plane + s.GetProperty("y").GetInt32() * 172 + s.GetProperty("x").GetInt32()];
            var diff = Math.Abs(actual - s.GetProperty("value").GetDouble());
            maxAbs = Math.Max(maxAbs, diff);
            sumAbs += diff;
        }
        output.WriteLine($"samples: max abs {maxAbs:E3}, mean abs {sumAbs / samples.Length:E3} (normalised units)");

        // Measured: 0 difference beyond float32 printing (PIL's resampler is reproduced bit for bit).
        Assert.True(maxAbs <= 1e-6, $"max abs {maxAbs}");
        var means = GoldenFiles.Doubles(Golden.GetProperty("channel_mean"));
        var stds = GoldenFiles.Doubles(Golden.GetProperty("channel_std"));
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(means[c], TensorStats.Mean(chw, c, Plane), 1e-6);
            // The golden's channel_std is the population std (the unbiased one differs by 1e-5 and fails here).
            Assert.Equal(stds[c], TensorStats.StdPopulation(chw, c, Plane), 1e-6);
        }
    }
}
