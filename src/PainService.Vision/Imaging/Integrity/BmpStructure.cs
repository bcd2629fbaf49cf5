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
        if (data.Length < 26)
            return false;
        long pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(10, 4));
        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(14, 4));
        long width, height;
        int bitsPerPixel;
        uint compression = 0, imageSize = 0;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(18, 2));
            height = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(20, 2));
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(24, 2));
        }
        else
        {
            if (data.Length < 38)
                return false;
            width = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data.Slice(18, 4)));
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data.Slice(22, 4)));
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(28, 2));
            compression = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(30, 4));
            imageSize = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(34, 4));
        }
        // BI_RGB (0) and BI_BITFIELDS (3/6) store raw rows; anything else is compressed and sized by the header.
        var needed = compression is 0 or 3 or 6
            ? (width * bitsPerPixel + 31) / 32 * 4 * height
            : imageSize;
        return pixelOffset + needed <= data.Length;
    }
}
