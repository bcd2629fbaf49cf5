using System.Buffers.Binary;

namespace PainService.Vision.Imaging.Integrity;

/// <summary>WebP: the RIFF size must fit in the file and its chunks must tile it, with an image chunk among them.</summary>
internal static class WebpStructure
{
    public static bool IsComplete(ReadOnlySpan<byte> data)
    {
        var end = 8L + BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(4, 4));
        if (end > data.Length || end < 20)
            return false;
        long i = 12;
        var sawImage = false;
        while (i + 8 <= end)
        {
            var type = data.Slice((int)i, 4);
            sawImage |= type.SequenceEqual("VP8 "u8) || type.SequenceEqual("VP8L"u8) || type.SequenceEqual("ANMF"u8);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice((int)i + 4, 4));
            i += 8 + size + (size & 1);
        }
        // The last chunk's pad byte is sometimes left out of the RIFF size.
        return sawImage && i >= end && i <= end + 1;
    }
}
