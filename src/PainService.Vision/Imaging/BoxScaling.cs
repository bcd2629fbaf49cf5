namespace PainService.Vision.Imaging;

/// <summary>Maps a box found on a scaled-down frame back to full-frame pixels, kept inside the frame.</summary>
internal static class BoxScaling
{
    public static FaceBox Scale(FaceBox box, double factor, int width, int height)
    {
        var x = Math.Clamp((int)Math.Round(box.X * factor), 0, width - 1);
        var y = Math.Clamp((int)Math.Round(box.Y * factor), 0, height - 1);
        var w = Math.Min((int)Math.Round(box.Width * factor), width - x);
        var h = Math.Min((int)Math.Round(box.Height * factor), height - y);
        return new FaceBox(x, y, w, h);
    }
}
