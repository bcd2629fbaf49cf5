namespace PainService.Vision.Imaging;

/// <summary>An upright (EXIF orientation applied) 8-bit RGB image, interleaved row-major, 3 bytes per pixel.</summary>
public sealed record DecodedImage(byte[] Rgb, int Width, int Height)
{
    public int Stride => Width * 3;
}
