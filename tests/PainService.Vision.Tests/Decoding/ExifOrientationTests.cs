using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;
using PainService.Vision.Tests.Corpus;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PainService.Vision.Tests.Decoding;

/// <summary>
/// Each case stores the astronaut transformed for an EXIF orientation (<see cref="ExifOriented"/>), so that
/// applying the tag gives back the upright photo exactly.
/// </summary>
public sealed class ExifOrientationTests
{
    private static readonly VisionOptions Options = new();

    public static TheoryData<ushort> Orientations => [.. ExifOriented.Orientations];

    [Theory]
    [MemberData(nameof(Orientations))]
    public void TaggedPngDecodesToTheUprightPixelsAndTheSameFace(ushort orientation)
    {
        using var upright = Image.Load<Rgb24>(GoldenFiles.Astronaut);
        var bytes = ExifOriented.Png(upright, orientation);

        var decoded = new ImageDecoder(Options).Decode(bytes);
        Assert.Equal((512, 512), (decoded.Width, decoded.Height));
        Assert.Equal(GoldenFiles.AstronautDecoded.Rgb, decoded.Rgb);

        using var detector = new HaarDetectorPool(Options);
        var pipeline = new FacePipeline(new ImageDecoder(Options), detector, Options);
        var face = Assert.Single(pipeline.Run(bytes).Faces);
        var reference = Assert.Single(pipeline.Run(GoldenFiles.Astronaut).Faces);
        Assert.Equal(new FaceBox(177, 66, 95, 95), face.Box);
        Assert.Equal(reference.Input, face.Input);
    }

    [Fact]
    public void TaggedJpegOfANonSquareFrameComesOutUpright()
    {
        // Upright: 64 wide, 32 high, red left half, blue right half. Stored rotated, tagged 6.
        using var upright = TestImages.Solid(64, 32, new Rgb24(255, 0, 0));
        for (var y = 0; y < 32; y++)
            for (var x = 32; x < 64; x++)
                upright[x, y] = new Rgb24(0, 0, 255);
        using var stored = upright.Clone(x => ExifOriented.ToStored(x, 6));
        Assert.Equal((32, 64), (stored.Width, stored.Height));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);

        var decoded = new ImageDecoder(Options).Decode(TestImages.Encode(stored, new JpegEncoder { Quality = 95 }));
        Assert.Equal((64, 32), (decoded.Width, decoded.Height));
        var left = (y: 16, x: 8);
        var right = (y: 16, x: 56);
        Assert.True(decoded.Rgb[(left.y * 64 + left.x) * 3] > 200 && decoded.Rgb[(left.y * 64 + left.x) * 3 + 2] < 50);
        Assert.True(decoded.Rgb[(right.y * 64 + right.x) * 3] < 50 && decoded.Rgb[(right.y * 64 + right.x) * 3 + 2] > 200);
    }
}
