using System.Buffers.Binary;

namespace PainService.Vision.Imaging.Integrity;

/// <summary>
/// JPEG: marker segments from SOI, through the entropy-coded data after each SOS (where FF 00 is a stuffed byte
/// and FF D0–D7 restart markers), up to EOI. Bytes after EOI (camera trailers, motion-photo video) are ignored.
/// EXIF thumbnails sit inside APP1 and are skipped by its length, so their EOI does not count.
/// </summary>
internal static class JpegStructure
{
    public static bool IsComplete(ReadOnlySpan<byte> data)
    {
        var i = 2;
        while (true)
        {
            while (i < data.Length && data[i] != 0xFF)
                i++; // stray bytes between segments: libjpeg skips them with a warning
            while (i < data.Length && data[i] == 0xFF)
                i++; // fill bytes
            if (i >= data.Length)
                return false;
            var marker = data[i++];
            if (marker == 0xD9)
                return true;
            if (marker is 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7))
                continue; // markers without a length
            if (i + 2 > data.Length)
                return false;
            var length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i, 2));
            if (length < 2)
                return false;
            i += length;
            if (i > data.Length)
                return false;
            if (marker == 0xDA && !SkipEntropyCodedData(data, ref i))
                return false;
        }
    }

    /// <summary>Leaves <paramref name="i"/> on the FF that starts the next real marker.</summary>
    private static bool SkipEntropyCodedData(ReadOnlySpan<byte> data, ref int i)
    {
        while (true)
        {
            var next = data[i..].IndexOf((byte)0xFF);
            if (next < 0)
                return false;
            i += next;
            var j = i + 1;
            while (j < data.Length && data[j] == 0xFF)
                j++;
            if (j >= data.Length)
                return false;
            if (data[j] == 0x00 || data[j] is >= 0xD0 and <= 0xD7)
            {
                i = j + 1;
                continue;
            }
            i = j - 1;
            return true;
        }
    }
}
