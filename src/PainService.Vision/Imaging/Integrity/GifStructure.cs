namespace PainService.Vision.Imaging.Integrity;

/// <summary>
/// GIF: header, colour tables and blocks up to the end of the first image's data sub-blocks (only the first
/// frame is decoded, so a burst cut after it is still usable) or the trailer.
/// </summary>
internal static class GifStructure
{
    public static bool IsComplete(ReadOnlySpan<byte> data)
    {
        if (data.Length < 13)
            return false;
        long i = 13 + ColorTableBytes(data[10]);
        while (i < data.Length)
        {
            switch (data[(int)i])
            {
                case 0x3B: // trailer
                    return true;
                case 0x21: // extension: label, then sub-blocks
                    i += 2;
                    if (!SkipSubBlocks(data, ref i))
                        return false;
                    break;
                case 0x2C: // image descriptor, local colour table, LZW code size, then the image's sub-blocks
                    if (i + 10 > data.Length)
                        return false;
                    i += 10 + ColorTableBytes(data[(int)i + 9]) + 1;
                    return SkipSubBlocks(data, ref i);
                default:
                    return false;
            }
        }
        return false;
    }

    private static int ColorTableBytes(byte flags) => (flags & 0x80) != 0 ? 3 * (1 << ((flags & 7) + 1)) : 0;

    private static bool SkipSubBlocks(ReadOnlySpan<byte> data, ref long i)
    {
        while (i < data.Length)
        {
            var size = data[(int)i];
            i += 1 + size;
            if (size == 0)
                return true;
        }
        return false;
    }
}
