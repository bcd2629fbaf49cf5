using PainService.Vision.Preprocessing;
using Xunit.Abstractions;

namespace PainService.Vision.Tests.Golden;

/// <summary>The test transform alone (Resize 256, CenterCrop 172, normalise) on the whole astronaut.png vs preprocess.json.</summary>
public sealed class PreprocessGoldenTests(ITestOutputHelper output)
{
    private const int Plane = 172 * 172;
    private static readonly System.Text.Json.JsonElement Golden = GoldenFiles.Json("preprocess.json");

    [Fact]
    public void DecodedPixelsEqualPil()
    {
        var image = GoldenFiles.AstronautDecoded;
        Assert.Equal((512, 512), (image.Width, image.Height));
        var sums = new long[3];
        for (var i = 0; i < image.Rgb.Length; i++)
            sums[i % 3] += image.Rgb[i];
        Assert.Equal(GoldenFiles.Ints(Golden.GetProperty("image").GetProperty("pil_decoded_rgb_per_channel_sum")).Select(v => (long)v), sums);
    }

    [Fact]
    public void ResizeAndCropMatchPilBitForBit()
    {
        var resized = ModelInputBuilder.ResizeShorterSide(GoldenFiles.AstronautDecoded, 256);
        Assert.Equal((256, 256), (resized.Width, resized.Height));
        Assert.Equal(Golden.GetProperty("resized_uint8_sum").GetInt64(), resized.Rgb.Sum(b => (long)b));

        var (left, top) = ModelInputBuilder.CenterCropOffsets(256, 256, 172);
        Assert.Equal((42, 42), (left, top));
        var sums = new long[3];
        for (var y = 0; y < 172; y++)
            for (var x = 0; x < 172; x++)
                for (var c = 0; c < 3; c++)
                    sums[c] += resized.Rgb[((top + y) * 256 + left + x) * 3 + c];
        Assert.Equal(GoldenFiles.Ints(Golden.GetProperty("cropped_uint8_per_channel_sum")).Select(v => (long)v), sums);
    }

    [Fact]
    public void NormalisedTensorMatchesGolden()
    {
        var chw = ModelInputBuilder.TestTransform(GoldenFiles.AstronautDecoded);
        Assert.Equal(3 * Plane, chw.Length);

        var maxAbs = 0.0;
        foreach (var s in Golden.GetProperty("values").EnumerateArray())
        {
            var actual = chw[s.GetProperty("c").GetInt32() * Plane + s.GetProperty("y").GetInt32() * 172 + s.GetProperty("x").GetInt32()];
            maxAbs = Math.Max(maxAbs, Math.Abs(actual - s.GetProperty("value").GetDouble()));
        }
        var means = GoldenFiles.Doubles(Golden.GetProperty("per_channel_mean"));
        var stds = GoldenFiles.Doubles(Golden.GetProperty("per_channel_std_population"));
        var sum = chw.Sum(v => (double)v);
        var l2 = Math.Sqrt(chw.Sum(v => (double)v * v));
        output.WriteLine($"samples max abs {maxAbs:E3}; sum {sum} vs {Golden.GetProperty("sum").GetDouble()}; l2 {l2}");

        Assert.True(maxAbs <= 1e-6, $"sampled values differ by {maxAbs}");
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(means[c], TensorStats.Mean(chw, c, Plane), 1e-5);
            Assert.Equal(stds[c], TensorStats.StdPopulation(chw, c, Plane), 1e-5);
        }
        Assert.Equal(Golden.GetProperty("sum").GetDouble(), sum, 1e-2);
        Assert.Equal(Golden.GetProperty("l2").GetDouble(), l2, 1e-3);
    }
}
