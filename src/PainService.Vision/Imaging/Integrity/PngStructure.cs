using System.Buffers.Binary;

namespace PainService.Vision.Imaging.Integrity;

/// <summary>
/// PNG: chunks from the signature to IEND, each fully present; critical chunks (IHDR, PLTE, IDAT, IEND) must carry
/// a correct CRC, as libpng demands. Ancillary chunks with a bad CRC are tolerated, as libpng does.
/// </summary>
internal static class PngStructure
{
    public static bool IsComplete(ReadOnlySpan<byte> data)
    {
        long i = 8;
        while (true)
        {
            if (i + 12 > data.Length)
                return false;
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.Slice((int)i, 4));
            if (length > int.MaxValue || i + 12 + length > data.Length)
                return false;
            var typeAndData = data.Slice((int)i + 4, 4 + (int)length);
            var critical = (typeAndData[0] & 0x20) == 0;
            if (critical && Crc32.Compute(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(data.Slice((int)(i + 8 + length), 4)))
                return false;
            if (typeAndData[..4].SequenceEqual("IEND"u8))
                return true;
            i += 12 + length;
        }
    }
}
