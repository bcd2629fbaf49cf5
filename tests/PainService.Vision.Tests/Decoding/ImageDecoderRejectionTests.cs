using PainService.Vision.Imaging;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.PixelFormats;

namespace PainService.Vision.Tests.Decoding;

/// <summary>Every refusal is an ImageRejectedException with the exact reason, never another exception type.</summary>
public sealed class ImageDecoderRejectionTests
{
    private readonly ImageDecoder _decoder = new(new VisionOptions());

    private ImageRejection Reject(byte[] data, ImageDecoder? decoder = null) =>
        Assert.Throws<ImageRejectedException>(() => (decoder ?? _decoder).Decode(data)).Reason;

    [Fact]
    public void ZeroBytesIsEmpty() => Assert.Equal(ImageRejection.Empty, Reject([]));

    [Fact]
    public void UploadOverTheByteLimitIsTooLarge() =>
        Assert.Equal(ImageRejection.TooLarge, Reject(GoldenFiles.Astronaut, new ImageDecoder(new VisionOptions { MaxUploadBytes = 1000 })));

    [Fact]
    public void TextFileIsUnsupported() =>
        Assert.Equal(ImageRejection.UnsupportedFormat, Reject("Patient notes: this is not a JPEG\n"u8.ToArray()));

    [Fact]
    public void TiffIsUnsupportedAndSaysSo()
    {
        using var image = TestImages.Solid(64, 64, new Rgb24(1, 2, 3));
        var tiff = TestImages.Encode(image, new TiffEncoder());
        var ex = Assert.Throws<ImageRejectedException>(() => _decoder.Decode(tiff));
        Assert.Equal(ImageRejection.UnsupportedFormat, ex.Reason);
        Assert.Contains("TIFF", ex.Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.01)]
    public void TruncatedPngIsCorrupt(double keep) =>
        Assert.Equal(ImageRejection.Corrupt, Reject(GoldenFiles.Astronaut[..(int)(GoldenFiles.Astronaut.Length * keep)]));

    [Fact]
    public void PngMagicFollowedByGarbageIsCorrupt() =>
        Assert.Equal(ImageRejection.Corrupt, Reject([.. GoldenFiles.Astronaut[..8], .. new byte[200]]));

    [Fact]
    public void DeclaredHugeDimensionsAreRejectedBeforeDecoding()
    {
        var ex = Assert.Throws<ImageRejectedException>(() => _decoder.Decode(TestImages.PngHeader(100_000, 100_000)));
        Assert.Equal(ImageRejection.DimensionsTooLarge, ex.Reason);
        Assert.Contains("100000×100000", ex.Message);
    }

    [Fact]
    public void PixelLimitIsConfigurable() =>
        Assert.Equal(ImageRejection.DimensionsTooLarge, Reject(GoldenFiles.Astronaut, new ImageDecoder(new VisionOptions { MaxPixels = 512 * 511 })));

    [Fact]
    public void OnePixelImageIsTooSmall()
    {
        using var image = TestImages.Solid(1, 1, new Rgb24(9, 9, 9));
        Assert.Equal(ImageRejection.TooSmall, Reject(TestImages.Encode(image, new PngEncoder())));
    }

    [Fact]
    public void ImageUnderTheCascadeWindowIsTooSmall()
    {
        using var image = TestImages.Solid(300, 23, new Rgb24(9, 9, 9));
        Assert.Equal(ImageRejection.TooSmall, Reject(TestImages.Encode(image, new PngEncoder())));
    }
}
