using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Testing;
using PainService.Vision.Pipeline;
using PainService.Vision.Tests.Decoding;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace PainService.Vision.Tests.Corpus;

/// <summary>Each kind of bad input of issue 3 through decode → detect: the exact rejection reason.</summary>
public sealed class BadInputCorpusTests : CorpusPipelineTests
{
    public static TheoryData<string, ImageRejection> Rejections => new()
    {
        { "zero bytes", ImageRejection.Empty },
        { "text file named .jpg", ImageRejection.UnsupportedFormat },
        { "html", ImageRejection.UnsupportedFormat },
        { "pdf", ImageRejection.UnsupportedFormat },
        { "tiff", ImageRejection.UnsupportedFormat },
        { "heic", ImageRejection.UnsupportedFormat },
        { "avif", ImageRejection.UnsupportedFormat },
        { "png declaring 100000x100000", ImageRejection.DimensionsTooLarge },
        { "png declaring 2147483647x1", ImageRejection.DimensionsTooLarge },
        { "jpeg declaring 65500x65500", ImageRejection.DimensionsTooLarge },
        { "gif declaring 65535x65535", ImageRejection.DimensionsTooLarge },
        { "bmp declaring 100000x100000", ImageRejection.DimensionsTooLarge },
        { "webp declaring 16384x16384", ImageRejection.DimensionsTooLarge },
        { "truncated png", ImageRejection.Corrupt },
        { "truncated jpeg", ImageRejection.Corrupt },
        { "png with a flipped data byte", ImageRejection.Corrupt },
        { "1x1 png", ImageRejection.TooSmall },
        { "1x1 jpeg", ImageRejection.TooSmall },
        { "16x16 gif", ImageRejection.TooSmall },
        { "blank 24x24 png", ImageRejection.NoFace },
        { "cat photo", ImageRejection.NoFace },
        { "animated gif whose first frame is the cat", ImageRejection.NoFace },
    };

    private static byte[] Case(string name)
    {
        using var tiny = TestImages.Solid(1, 1, new Rgb24(200, 150, 120));
        using var tiny16 = TestImages.Solid(16, 16, new Rgb24(200, 150, 120));
        using var blank = TestImages.Solid(24, 24, new Rgb24(128, 128, 128));
        using var astronaut = Image.Load<Rgb24>(GoldenFiles.Astronaut);
        using var cat = Image.Load<Rgb24>(GoldenFiles.Chelsea);
        return name switch
        {
            "zero bytes" => [],
            "text file named .jpg" => BadInputCorpus.TextNamedJpg(),
            "html" => BadInputCorpus.Html(),
            "pdf" => BadInputCorpus.Pdf(),
            "tiff" => BadInputCorpus.Tiff(),
            "heic" => BadInputCorpus.IsoMediaHeader("heic"),
            "avif" => BadInputCorpus.IsoMediaHeader("avif"),
            "png declaring 100000x100000" => TestImages.PngHeader(100_000, 100_000),
            "png declaring 2147483647x1" => TestImages.PngHeader(int.MaxValue, 1),
            "jpeg declaring 65500x65500" => BadInputCorpus.JpegBomb(65500, 65500),
            "gif declaring 65535x65535" => BadInputCorpus.GifBomb(),
            "bmp declaring 100000x100000" => BadInputCorpus.BmpBomb(),
            "webp declaring 16384x16384" => BadInputCorpus.WebpBomb(),
            "truncated png" => GoldenFiles.Astronaut[..(GoldenFiles.Astronaut.Length * 3 / 4)],
            "truncated jpeg" => BadInputCorpus.AstronautJpeg()[..20_000],
            "png with a flipped data byte" => BadInputCorpus.PngWithFlippedDataByte(),
            "1x1 png" => BadInputCorpus.Png(tiny),
            "1x1 jpeg" => BadInputCorpus.Jpeg(tiny),
            "16x16 gif" => TestImages.Encode(tiny16, new SixLabors.ImageSharp.Formats.Gif.GifEncoder()),
            "blank 24x24 png" => BadInputCorpus.Png(blank),
            "cat photo" => GoldenFiles.Chelsea,
            "animated gif whose first frame is the cat" => BadInputCorpus.AnimatedGif(cat, astronaut),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void BadInputIsRejectedWithItsReason(string name, ImageRejection expected)
    {
        var ex = Assert.Throws<ImageRejectedException>(() => Run(Case(name)));
        Assert.True(expected == ex.Reason, $"{name}: {ex.Reason} ({ex.Message})");
    }

    [Fact]
    public void OversizedUploadIsTooLarge() =>
        Assert.Equal(ImageRejection.TooLarge, Reject(new byte[Options.MaxUploadBytes + 1]));
}
