using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PainService.Vision.Tests.Decoding;

/// <summary>
/// A camera stores pixels as the sensor saw them and an EXIF orientation tag saying how to show them. Each case
/// stores the astronaut transformed so that applying the tag gives back the upright photo exactly.
/// </summary>
public sealed class ExifOrientationTests
{
    private static readonly VisionOptions Options = new();

    /// <summary>EXIF orientation → the transform that makes the stored (sensor) image from the upright one.</summary>
    public static TheoryData<ushort> Orientations => [1, 2, 3, 4, 5, 6, 7, 8];

    private static void ToStored(IImageProcessingContext x, ushort orientation)
    {
        switch (orientation)
        {
            case 2: x.Flip(FlipMode.Horizontal); break;
            case 3: x.Rotate(RotateMode.Rotate180); break;
            case 4: x.Flip(FlipMode.Vertical); break;
            case 5: x.Rotate(RotateMode.Rotate90).Flip(FlipMode.Horizontal); break;  // transpose
            case 6: x.Rotate(RotateMode.Rotate270); break;                           // shown after 90° clockwise
            case 7: x.Rotate(RotateMode.Rotate270).Flip(FlipMode.Horizontal); break; // transverse
            case 8: x.Rotate(RotateMode.Rotate90); break;                            // shown after 90° anticlockwise
        }
    }

    private static byte[] StoredPng(Image<Rgb24> upright, ushort orientation)
    {
        using var stored = upright.Clone(x => ToStored(x, orientation));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        return TestImages.Encode(stored, new PngEncoder());
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void TaggedPngDecodesToTheUprightPixelsAndTheSameFace(ushort orientation)
    {
        using var upright = Image.Load<Rgb24>(GoldenFiles.Astronaut);
        var bytes = StoredPng(upright, orientation);

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
        using var stored = upright.Clone(x => ToStored(x, 6));
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
