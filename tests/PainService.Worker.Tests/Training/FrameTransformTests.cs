using PainService.Vision.Imaging;
using PainService.Vision.Preprocessing;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Training;

public sealed class FrameTransformTests
{
    private static DecodedImage Gradient(int size = 172)
    {
        var rgb = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var i = (y * size + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = ((byte)x, (byte)y, (byte)((x * 7 + y * 3) % 256));
            }
        return new DecodedImage(rgb, size, size);
    }

    private static float Normalised(byte value, int channel) =>
        (value / 255f - new[] { 0.485f, 0.456f, 0.406f }[channel]) / new[] { 0.229f, 0.224f, 0.225f }[channel];

    [Fact]
    public void LegacyCropIsTheTopLeftOfTheResizedImageAndFlipMirrorsIt()
    {
        var image = Gradient();
        var resized = PilBilinearResampler.Resize(image.Rgb, 172, 172, 256, 256);
        var transform = new FrameTransform(172, CropMode.Legacy, flip: true, jitter: 0);
        var seen = new HashSet<bool>();
        const int plane = 172 * 172;

        for (var seed = 0; seed < 8; seed++)
        {
            var t = transform.Train(image, new Random(seed));
            var mirrored = t[0] != Normalised(resized[0], 0);
            seen.Add(mirrored);
            for (var (y, x) = (0, 0); y < 172; y += 19, x = (x + 37) % 172)
            {
                var sourceX = mirrored ? 171 - x : x;
                Assert.Equal(Normalised(resized[(y * 256 + sourceX) * 3 + 1], 1), t[plane + y * 172 + x]);
            }
        }
        Assert.Equal(2, seen.Count); // both flipped and unflipped draws happen
    }

    [Fact]
    public void FixedCropMovesAndTestCropIsTheServicesCentreCrop()
    {
        var image = Gradient();
        var fixedCrop = new FrameTransform(172, CropMode.Fixed, flip: false, jitter: 0);
        var firstPixels = Enumerable.Range(0, 6).Select(s => fixedCrop.Train(image, new Random(s))[0]).Distinct().Count();

        Assert.True(firstPixels > 1);
        Assert.Equal(ModelInputBuilder.TestTransform(image), fixedCrop.Test(image));
    }

    [Fact]
    public void SmallerInputsScaleTheResizeAndCentreCrop()
    {
        var transform = new FrameTransform(64, CropMode.Fixed);

        Assert.Equal(95, transform.ResizeTo);
        Assert.Equal(3 * 64 * 64, transform.Test(Gradient()).Length);
        Assert.Equal(3 * 64 * 64, transform.Train(Gradient(), new Random(1)).Length);
    }

    [Fact]
    public void PilBlendTruncatesAndLumaIsFixedPoint()
    {
        Assert.Equal(120, PilColorJitter.Blend(0, 200, 0.6f));
        Assert.Equal(140, PilColorJitter.Blend(0, 201, 0.7f)); // 140.7 → 140, truncation like PIL
        Assert.Equal(255, PilColorJitter.Blend(0, 250, 1.4f));
        Assert.Equal(76, PilColorJitter.Luma([255, 0, 0], 0));
        Assert.Equal(255, PilColorJitter.Luma([255, 255, 255], 0));
    }

    [Fact]
    public void SaturationZeroGivesGreyAndContrastBlendsTowardsTheMeanGrey()
    {
        byte[] pixels = [200, 100, 50, 0, 0, 0];
        PilColorJitter.Saturation(pixels, 0);
        Assert.Equal(new byte[] { 124, 124, 124, 0, 0, 0 }, pixels); // L = (200·19595 + 100·38470 + 50·7471 + 32768) >> 16 = 124

        byte[] contrast = [100, 100, 100, 200, 200, 200];
        PilColorJitter.Contrast(contrast, 0.5f);
        Assert.Equal(new byte[] { 125, 125, 125, 175, 175, 175 }, contrast); // mean grey 150
    }
}
