using System.Buffers.Binary;
using PainService.Vision.Imaging;
using PainService.Vision.Imaging.Integrity;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace PainService.Vision.Tests.Decoding;

/// <summary>
/// Embedded ICC profiles (here deliberately malformed) are cut out before ImageSharp parses anything: the stripped
/// file is byte-for-byte the file without the profile, and decodes to the same pixels.
/// </summary>
public sealed class IccProfileStripperTests
{
    private static readonly byte[] Garbage = Enumerable.Range(0, 300).Select(i => (byte)(i * 37 + 11)).ToArray();
    private readonly ImageDecoder _decoder = new(new VisionOptions());

    private static SixLabors.ImageSharp.Image<Rgb24> Picture()
    {
        var image = TestImages.Solid(64, 48, new Rgb24(200, 120, 40));
        image[10, 10] = new Rgb24(0, 0, 255);
        return image;
    }

    [Fact]
    public void JpegIccSegmentIsRemoved()
    {
        using var image = Picture();
        var plain = TestImages.Encode(image, new JpegEncoder { Quality = 90 });
        byte[] app2 = [0xFF, 0xE2, 0, 0, .. "ICC_PROFILE\0"u8, 1, 1, .. Garbage];
        BinaryPrimitives.WriteUInt16BigEndian(app2.AsSpan(2), (ushort)(app2.Length - 2));
        byte[] withIcc = [.. plain[..2], .. app2, .. plain[2..]];

        Assert.Equal(plain, IccProfileStripper.Strip(SniffedFormat.Jpeg, withIcc).ToArray());
        Assert.Equal(_decoder.Decode(plain).Rgb, _decoder.Decode(withIcc).Rgb);
    }

    [Fact]
    public void PngIccpChunkIsRemoved()
    {
        using var image = Picture();
        var plain = TestImages.Encode(image, new PngEncoder());
        var chunk = Chunk("iCCP", [.. "bad\0"u8, 0, .. Garbage]);
        const int afterIhdr = 8 + 25;
        byte[] withIcc = [.. plain[..afterIhdr], .. chunk, .. plain[afterIhdr..]];

        Assert.Equal(plain, IccProfileStripper.Strip(SniffedFormat.Png, withIcc).ToArray());
        Assert.Equal(_decoder.Decode(plain).Rgb, _decoder.Decode(withIcc).Rgb);
    }

    [Fact]
    public void WebpIccpChunkAndFlagAreRemoved()
    {
        using var image = Picture();
        var simple = TestImages.Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        var imageChunk = simple[12..]; // the VP8L chunk
        byte[] vp8x = [.. "VP8X"u8, 10, 0, 0, 0, 0x20, 0, 0, 0, 63, 0, 0, 47, 0, 0]; // ICC flag, 64×48 canvas
        byte[] iccp = [.. "ICCP"u8, 0, 0, 0, 0, .. Garbage];
        BinaryPrimitives.WriteUInt32LittleEndian(iccp.AsSpan(4), (uint)Garbage.Length);
        byte[] withIcc = Riff([.. vp8x, .. iccp, .. imageChunk]);

        var stripped = IccProfileStripper.Strip(SniffedFormat.Webp, withIcc).ToArray();
        byte[] expected = Riff([.. vp8x[..8], 0x00, .. vp8x[9..], .. imageChunk]);
        Assert.Equal(expected, stripped);
        Assert.Equal(_decoder.Decode(simple).Rgb, _decoder.Decode(withIcc).Rgb);
    }

    [Fact]
    public void FileWithoutAProfileIsReturnedAsIs()
    {
        using var image = Picture();
        var png = TestImages.Encode(image, new PngEncoder());
        Assert.True(IccProfileStripper.Strip(SniffedFormat.Png, png).Span == png.AsSpan());
    }

    private static byte[] Riff(byte[] chunks)
    {
        byte[] riff = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. chunks];
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)(riff.Length - 8));
        return riff;
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typeAndData = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typeAndData.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), TestImages.Crc32(typeAndData));
        return chunk;
    }
}
