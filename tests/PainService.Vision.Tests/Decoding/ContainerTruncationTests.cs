using PainService.Vision.Imaging;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PainService.Vision.Tests.Decoding;

/// <summary>
/// ImageSharp 2.1 decodes a truncated file of any of our formats without an error (the missing part comes out
/// grey or black); the decoder's structural check must refuse every cut, and accept every complete file.
/// </summary>
public sealed class ContainerTruncationTests
{
    private static readonly ImageDecoder Decoder = new(new VisionOptions());

    private static readonly Lazy<Dictionary<string, byte[]>> Files = new(() =>
    {
        // A 256×256 face crop of the photo keeps the encoders (GIF quantiser, lossless WebP) fast.
        using var image = Image.Load<Rgb24>(GoldenFiles.Astronaut);
        image.Mutate(x => x.Crop(new Rectangle(100, 20, 256, 256)));
        var encoders = new Dictionary<string, IImageEncoder>
        {
            ["jpeg"] = new JpegEncoder { Quality = 90 },
            ["png"] = new PngEncoder(),
            ["gif"] = new GifEncoder(),
            ["webp-lossy"] = new WebpEncoder { FileFormat = WebpFileFormatType.Lossy },
            ["webp-lossless"] = new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
            ["bmp"] = new BmpEncoder(),
        };
        return encoders.ToDictionary(e => e.Key, e => TestImages.Encode(image, e.Value));
    });

    public static TheoryData<string> Formats => ["jpeg", "png", "gif", "webp-lossy", "webp-lossless", "bmp"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void CompleteFileDecodes(string format)
    {
        var decoded = Decoder.Decode(Files.Value[format]);
        Assert.Equal((256, 256), (decoded.Width, decoded.Height));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryCutIsRefusedAsCorrupt(string format)
    {
        var bytes = Files.Value[format];
        foreach (var keep in new[] { 0.02, 0.1, 0.5, 0.9, 0.999 })
        {
            var cut = bytes[..(int)(bytes.Length * keep)];
            var ex = Assert.Throws<ImageRejectedException>(() => Decoder.Decode(cut));
            Assert.True(ex.Reason == ImageRejection.Corrupt, $"{format} cut at {keep}: {ex.Reason} {ex.Message}");
        }
        if (format == "gif")
            return; // only the first frame is decoded: a GIF cut after it (here: just the trailer) is still usable
        var lastByteMissing = bytes[..^1];
        Assert.Equal(ImageRejection.Corrupt, Assert.Throws<ImageRejectedException>(() => Decoder.Decode(lastByteMissing)).Reason);
    }
}
