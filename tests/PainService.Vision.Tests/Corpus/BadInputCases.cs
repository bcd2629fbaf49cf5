using PainService.Vision.Tests.Decoding;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;

namespace PainService.Vision.Tests.Corpus;

/// <summary>
/// The named bad inputs of issue 3's corpus. Shared by the pipeline tests and (linked into the API test project)
/// the HTTP tests, so both layers are fed the very same bytes.
/// </summary>
internal static class BadInputCases
{
    public static readonly string[] Names =
    [
        "zero bytes", "text file named .jpg", "html", "pdf", "tiff", "heic", "avif",
        "png declaring 100000x100000", "png declaring 2147483647x1", "jpeg declaring 65500x65500",
        "gif declaring 65535x65535", "bmp declaring 100000x100000", "webp declaring 16384x16384",
        "truncated png", "truncated jpeg", "png with a flipped data byte",
        "1x1 png", "1x1 jpeg", "16x16 gif", "blank 24x24 png", "cat photo", "animated gif whose first frame is the cat",
    ];

    public static byte[] Build(string name)
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
            "16x16 gif" => TestImages.Encode(tiny16, new GifEncoder()),
            "blank 24x24 png" => BadInputCorpus.Png(blank),
            "cat photo" => GoldenFiles.Chelsea,
            "animated gif whose first frame is the cat" => BadInputCorpus.AnimatedGif(cat, astronaut),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }
}
