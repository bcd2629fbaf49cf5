using PainService.Vision.Tests.Decoding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PainService.Vision.Tests.Corpus;

/// <summary>
/// A camera stores pixels as the sensor saw them and an EXIF orientation tag saying how to show them. These build
/// the stored image from an upright one so that applying the tag gives back the upright pixels exactly.
/// </summary>
internal static class ExifOriented
{
    public static readonly ushort[] Orientations = [1, 2, 3, 4, 5, 6, 7, 8];

    /// <summary>EXIF orientation → the transform that makes the stored (sensor) image from the upright one.</summary>
    public static void ToStored(IImageProcessingContext x, ushort orientation)
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

    /// <summary>A lossless PNG of <paramref name="upright"/> stored for <paramref name="orientation"/> and tagged so.</summary>
    public static byte[] Png(Image<Rgb24> upright, ushort orientation)
    {
        using var stored = upright.Clone(x => ToStored(x, orientation));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        return TestImages.Encode(stored, new PngEncoder());
    }
}
