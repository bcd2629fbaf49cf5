using PainService.Vision.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace PainService.Vision.Tests.Decoding;

/// <summary>Any pixel layout comes out as upright 8-bit RGB of the right size.</summary>
public sealed class ImageDecoderPixelFormatTests
{
    private readonly ImageDecoder _decoder = new(new VisionOptions());

    private static (byte R, byte G, byte B) Pixel(DecodedImage image, int x, int y)
    {
        var i = (y * image.Width + x) * 3;
        return (image.Rgb[i], image.Rgb[i + 1], image.Rgb[i + 2]);
    }

    [Fact]
    public void GrayscalePngBecomesEqualRgb()
    {
        using var image = new Image<L8>(40, 30, new L8(77));
        var decoded = _decoder.Decode(TestImages.Encode(image, new PngEncoder { ColorType = PngColorType.Grayscale }));
        Assert.Equal((40, 30), (decoded.Width, decoded.Height));
        Assert.Equal((77, 77, 77), Pixel(decoded, 39, 29));
    }

    [Fact]
    public void RgbaPngDropsAlphaAndKeepsTheColour()
    {
        using var image = new Image<Rgba32>(32, 32, new Rgba32(10, 20, 30, 255));
        image[5, 6] = new Rgba32(200, 100, 50, 0); // fully transparent, colour still stored
        var decoded = _decoder.Decode(TestImages.Encode(image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }));
        Assert.Equal((10, 20, 30), Pixel(decoded, 0, 0));
        Assert.Equal((200, 100, 50), Pixel(decoded, 5, 6));
    }

    [Fact]
    public void SixteenBitPngIsScaledTo8Bits()
    {
        using var image = new Image<Rgb48>(24, 24, new Rgb48(0xAB00, 0x1200, 0xFFFF));
        var decoded = _decoder.Decode(TestImages.Encode(image,
            new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 }));
        Assert.Equal((24, 24), (decoded.Width, decoded.Height));
        // ImageSharp rounds v·255/65535 (0xAB00 → 170); PIL keeps the high byte (171): at most 1 level apart.
        Assert.Equal((170, 18, 255), Pixel(decoded, 12, 12));
    }

    [Fact]
    public void PalettePngDecodesItsColours()
    {
        using var image = TestImages.Solid(30, 30, new Rgb24(255, 0, 0));
        image[29, 29] = new Rgb24(0, 0, 255);
        var png = TestImages.Encode(image, new PngEncoder { ColorType = PngColorType.Palette });
        Assert.Equal(3, png[25]); // IHDR colour type 3 = indexed: the palette path really ran
        var decoded = _decoder.Decode(png);
        Assert.Equal((255, 0, 0), Pixel(decoded, 0, 0));
        Assert.Equal((0, 0, 255), Pixel(decoded, 29, 29));
    }

    [Fact]
    public void AnimatedGifGivesItsFirstFrame()
    {
        using var gif = TestImages.Solid(48, 32, new Rgb24(255, 0, 0));
        using var second = TestImages.Solid(48, 32, new Rgb24(0, 0, 255));
        gif.Frames.AddFrame(second.Frames.RootFrame);
        Assert.Equal(2, gif.Frames.Count);
        var decoded = _decoder.Decode(TestImages.Encode(gif, new GifEncoder()));
        Assert.Equal((48, 32), (decoded.Width, decoded.Height));
        Assert.Equal((255, 0, 0), Pixel(decoded, 24, 16));
    }
}
