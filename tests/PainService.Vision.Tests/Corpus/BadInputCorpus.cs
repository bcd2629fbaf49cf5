using System.Buffers.Binary;
using PainService.Vision.Tests.Decoding;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PainService.Vision.Tests.Corpus;

/// <summary>
/// Issue 3's bad-input corpus, generated in memory from the golden photos: every kind of input a hospital system
/// may send. Headers of bombs are written by hand (valid structure, absurd dimensions).
/// </summary>
internal static class BadInputCorpus
{
    private static Image<Rgb24> Astronaut() => Image.Load<Rgb24>(GoldenFiles.Astronaut);

    public static byte[] TextNamedJpg() => "name=Jane Doe; MRN 0012345\nThis is a note, not a photo.\n"u8.ToArray();

    public static byte[] Html() => "<!DOCTYPE html><html><body><img src=x></body></html>"u8.ToArray();

    public static byte[] Pdf() => "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"u8.ToArray();

    public static byte[] Tiff()
    {
        using var image = Astronaut();
        return TestImages.Encode(image, new TiffEncoder());
    }

    /// <summary>An ISO-BMFF box header with the given brand (HEIC/AVIF files start so); the rest is irrelevant.</summary>
    public static byte[] IsoMediaHeader(string brand) =>
        [0, 0, 0, 24, .. "ftyp"u8, .. System.Text.Encoding.ASCII.GetBytes(brand), 0, 0, 0, 0, .. "mif1"u8, .. "miaf"u8, .. new byte[64]];

    public static byte[] Png(Image<Rgb24> image, PngColorType type = PngColorType.Rgb) =>
        TestImages.Encode(image, new PngEncoder { ColorType = type });

    public static byte[] Jpeg(Image<Rgb24> image, JpegColorType type = JpegColorType.YCbCrRatio420) =>
        TestImages.Encode(image, new JpegEncoder { Quality = 92, ColorType = type });

    public static byte[] AstronautJpeg(JpegColorType type = JpegColorType.YCbCrRatio420)
    {
        using var image = Astronaut();
        return Jpeg(image, type);
    }

    /// <summary>A real JPEG whose SOF0 declares <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] JpegBomb(ushort width, ushort height)
    {
        var bytes = AstronautJpeg();
        var sof = IndexOfMarker(bytes, 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 5), height);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 7), width);
        return bytes;
    }

    /// <summary>A GIF whose logical screen and first image both declare 65535×65535.</summary>
    public static byte[] GifBomb()
    {
        using var image = TestImages.Solid(32, 32, new Rgb24(1, 2, 3));
        var bytes = TestImages.Encode(image, new GifEncoder());
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), 65535);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 65535);
        var descriptor = Array.IndexOf(bytes, (byte)0x2C, 13);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(descriptor + 5), 65535);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(descriptor + 7), 65535);
        return bytes;
    }

    /// <summary>A BMP header declaring 100000×100000 at 24 bits with 54 bytes of pixels.</summary>
    public static byte[] BmpBomb()
    {
        var bytes = new byte[108];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), 100_000);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), 100_000);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        return bytes;
    }

    /// <summary>A lossless WebP whose VP8L header declares the format's maximum, 16384×16384.</summary>
    public static byte[] WebpBomb()
    {
        using var image = TestImages.Solid(32, 32, new Rgb24(1, 2, 3));
        var bytes = TestImages.Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        var vp8l = bytes.AsSpan().IndexOf("VP8L"u8);
        var header = bytes.AsSpan(vp8l + 9, 4); // after the 0x2F signature: 14 bits width-1, 14 bits height-1, ...
        var bits = BinaryPrimitives.ReadUInt32LittleEndian(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header, bits | 0x0FFFFFFFu);
        return bytes;
    }

    public static byte[] AnimatedGif(Image<Rgb24> first, Image<Rgb24> second)
    {
        using var gif = first.Clone();
        using var next = second.Clone(x => x.Resize(first.Width, first.Height)); // GIF frames share one canvas size
        gif.Frames.AddFrame(next.Frames.RootFrame);
        return TestImages.Encode(gif, new GifEncoder());
    }

    /// <summary>The photo cut at x = <paramref name="left"/>, so the face touches (or is cut by) the left border.</summary>
    public static byte[] AstronautCutAtLeft(int left)
    {
        using var image = Astronaut();
        image.Mutate(x => x.Crop(new Rectangle(left, 0, 512 - left, 512)));
        return Png(image);
    }

    public static byte[] AstronautScaled(int side)
    {
        using var image = Astronaut();
        image.Mutate(x => x.Resize(side, side));
        return Png(image);
    }

    /// <summary>The astronaut PNG with one byte of image data changed: its IDAT CRC no longer matches.</summary>
    public static byte[] PngWithFlippedDataByte()
    {
        var bytes = (byte[])GoldenFiles.Astronaut.Clone();
        var idat = bytes.AsSpan().IndexOf("IDAT"u8);
        bytes[idat + 500] ^= 0x55;
        return bytes;
    }

    public static int IndexOfMarker(byte[] jpeg, byte marker)
    {
        for (var i = 2; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker)
                return i;
        throw new InvalidOperationException($"marker FF{marker:X2} not found");
    }
}
