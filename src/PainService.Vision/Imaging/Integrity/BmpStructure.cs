using System.Buffers.Binary;

namespace PainService.Vision.Imaging.Integrity;

/// <summary>
/// BMP: the pixel array the header describes must be present: rows padded to 4 bytes for uncompressed data,
/// the declared image size for RLE and other compressed data.
/// </summary>
internal static class BmpStructure
{
    public static bool IsComplete(ReadOnlySpan<byte> data)
    {
        if (!TryReadHeader(data, out var header))
            return false;
        // BI_RGB (0) and BI_BITFIELDS (3/6) store raw rows; anything else is compressed and sized by the header.
        var needed = header.Compression is 0 or 3 or 6
            ? (header.Width * header.BitsPerPixel + 31) / 32 * 4 * header.Height
            : header.ImageSize;
        return header.PixelOffset + needed <= data.Length;
    }

    /// <summary>
    /// Declared dimensions, read before ImageSharp sees the file: its BMP Identify fails with an arithmetic
    /// overflow on huge headers, which would report a bomb as merely corrupt.
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> data, out long width, out long height)
    {
        var ok = TryReadHeader(data, out var header);
        (width, height) = (header.Width, header.Height);
        return ok;
    }

    private readonly record struct Header(long PixelOffset, long Width, long Height, int BitsPerPixel, uint Compression, uint ImageSize);

    private static bool TryReadHeader(ReadOnlySpan<byte> data, out Header header)
    {
        header = default;
        if (data.Length < 26)
            return false;
        long pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(10, 4));
        if (BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(14, 4)) == 12) // OS/2 BITMAPCOREHEADER: 16-bit sizes
        {
            header = new Header(pixelOffset,
                BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(18, 2)),
                BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(20, 2)),
                BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(24, 2)), 0, 0);
            return true;
        }
        if (data.Length < 38)
            return false;
        header = new Header(pixelOffset,
            Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data.Slice(18, 4))),
            Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data.Slice(22, 4))), // negative: top-down rows
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(28, 2)),
            BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(30, 4)),
            BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(34, 4)));
        return true;
    }
}
