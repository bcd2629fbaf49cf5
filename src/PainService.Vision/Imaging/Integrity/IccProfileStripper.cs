using System.Buffers.Binary;

namespace PainService.Vision.Imaging.Integrity;

/// <summary>
/// Removes embedded ICC colour profiles before ImageSharp sees the bytes: ImageSharp 2.1.13 has open advisories
/// in its ICC profile parsing, and the service does no colour management (the model was trained on PIL's plain
/// RGB), so dropping the profile changes no pixel and makes that code unreachable. JPEG: APP2 "ICC_PROFILE"
/// segments; PNG: the iCCP chunk; WebP: the ICCP chunk and its VP8X flag. Returns the input itself when there is
/// nothing to strip. Call only after <see cref="ContainerIntegrity"/> accepted the file.
/// </summary>
internal static class IccProfileStripper
{
    public static ReadOnlyMemory<byte> Strip(SniffedFormat format, ReadOnlyMemory<byte> data) => format switch
    {
        SniffedFormat.Jpeg => Remove(data, JpegIccSegments(data.Span)),
        SniffedFormat.Png => Remove(data, PngIccChunks(data.Span)),
        SniffedFormat.Webp => StripWebp(data),
        _ => data,
    };

    private static List<(int Start, int Length)> JpegIccSegments(ReadOnlySpan<byte> b)
    {
        var found = new List<(int, int)>();
        var i = 2;
        // Profiles sit in APPn segments before the first scan; stop at SOS or anything unexpected.
        while (i + 4 <= b.Length && b[i] == 0xFF && b[i + 1] != 0xDA && b[i + 1] != 0xD9)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(b.Slice(i + 2, 2));
            if (length < 2 || i + 2 + length > b.Length)
                break;
            if (b[i + 1] == 0xE2 && b.Slice(i + 4, length - 2).StartsWith("ICC_PROFILE\0"u8))
                found.Add((i, 2 + length));
            i += 2 + length;
        }
        return found;
    }

    /// <summary>iCCP chunks; each chunk is length (4), type (4), data, CRC (4).</summary>
    private static List<(int Start, int Length)> PngIccChunks(ReadOnlySpan<byte> b)
    {
        var found = new List<(int, int)>();
        for (long i = 8; i + 12 <= b.Length;)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(b.Slice((int)i, 4));
            if (i + 12 + length > b.Length)
                break;
            if (b.Slice((int)i + 4, 4).SequenceEqual("iCCP"u8))
                found.Add(((int)i, 12 + (int)length));
            i += 12 + length;
        }
        return found;
    }

    private static ReadOnlyMemory<byte> StripWebp(ReadOnlyMemory<byte> data)
    {
        var b = data.Span;
        var found = new List<(int Start, int Length)>();
        for (long i = 12; i + 8 <= b.Length;)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(b.Slice((int)i + 4, 4));
            var chunk = 8 + size + (size & 1);
            if (i + chunk > b.Length)
                break;
            if (b.Slice((int)i, 4).SequenceEqual("ICCP"u8))
                found.Add(((int)i, (int)chunk));
            i += chunk;
        }
        if (found.Count == 0)
            return data;
        var stripped = Remove(data, found).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(stripped.AsSpan(4), (uint)(stripped.Length - 8));
        if (stripped.Length > 20 && stripped.AsSpan(12, 4).SequenceEqual("VP8X"u8))
            stripped[20] &= 0xDF; // the "has ICC profile" flag
        return stripped;
    }

    private static ReadOnlyMemory<byte> Remove(ReadOnlyMemory<byte> data, List<(int Start, int Length)> parts)
    {
        if (parts.Count == 0)
            return data;
        var output = new byte[data.Length - parts.Sum(p => p.Length)];
        int from = 0, to = 0;
        foreach (var (start, length) in parts)
        {
            data.Span[from..start].CopyTo(output.AsSpan(to));
            to += start - from;
            from = start + length;
        }
        data.Span[from..].CopyTo(output.AsSpan(to));
        return output;
    }
}
