namespace PainService.Vision.Imaging;

/// <summary>Container formats told apart by their leading bytes, whatever the file name or content type claims.</summary>
public enum SniffedFormat
{
    Unknown,
    Jpeg,
    Png,
    Gif,
    Bmp,
    Webp,
    Tiff,
    Heif,
    Avif,
}

/// <summary>
/// Reads the magic bytes so that unsupported formats (TIFF above all, whose ImageSharp 2.1 code paths carry open
/// advisories) are refused by name before any decoder sees them.
/// </summary>
public static class ImageFormatSniffer
{
    public static SniffedFormat Sniff(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
            return SniffedFormat.Jpeg;
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return SniffedFormat.Png;
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8))
            return SniffedFormat.Gif;
        if (b.Length >= 14 && b.StartsWith("BM"u8))
            return SniffedFormat.Bmp;
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WEBP"u8))
            return SniffedFormat.Webp;
        if (b.StartsWith("II*\0"u8) || b.StartsWith("MM\0*"u8) || b.StartsWith("II+\0"u8) || b.StartsWith("MM\0+"u8))
            return SniffedFormat.Tiff;
        if (b.Length >= 12 && b.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = b.Slice(8, 4);
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
                return SniffedFormat.Avif;
            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8)
                || brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("hevc"u8))
                return SniffedFormat.Heif;
        }
        return SniffedFormat.Unknown;
    }

    public static bool IsSupported(SniffedFormat format) => format is SniffedFormat.Jpeg or SniffedFormat.Png
        or SniffedFormat.Gif or SniffedFormat.Bmp or SniffedFormat.Webp;
}
