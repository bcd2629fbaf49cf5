namespace PainService.Vision.Imaging.Integrity;

/// <summary>
/// Whether a file is structurally complete. ImageSharp 2.1 decodes truncated JPEG, PNG, GIF, WebP and BMP files
/// without complaint (missing pixels come out grey or black), and a half-received frame must not be scored as a
/// face, so each container is walked to its end marker first. Linear in the file size, allocation-free.
/// </summary>
internal static class ContainerIntegrity
{
    public static bool IsComplete(SniffedFormat format, ReadOnlySpan<byte> data) => format switch
    {
        SniffedFormat.Png => PngStructure.IsComplete(data),
        SniffedFormat.Jpeg => JpegStructure.IsComplete(data),
        SniffedFormat.Gif => GifStructure.IsComplete(data),
        SniffedFormat.Webp => WebpStructure.IsComplete(data),
        SniffedFormat.Bmp => BmpStructure.IsComplete(data),
        _ => false,
    };
}
