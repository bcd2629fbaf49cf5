namespace PainService.Vision.Imaging;

/// <summary>A face rectangle in pixels of the upright image.</summary>
public readonly record struct FaceBox(int X, int Y, int Width, int Height)
{
    public int Area => Width * Height;
}
