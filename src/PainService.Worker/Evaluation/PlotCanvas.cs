using SkiaSharp;

namespace PainService.Worker.Evaluation;

/// <summary>
/// Shared drawing bits for report figures. The text face is loaded from DejaVu (Debian's fonts-dejavu-core, in
/// scripts/install-deps.sh) because the dependency-free Skia native build has no font manager of its own.
/// </summary>
internal static class PlotCanvas
{
    private static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ];

    private static readonly Lazy<SKTypeface> Face = new(() =>
        FontFiles.Where(File.Exists).Select(f => SKTypeface.FromFile(f)).FirstOrDefault(t => t is not null) ?? SKTypeface.Default);

    public static SKFont Font(float size) => new(Face.Value, size);

    public static void Text(SKCanvas canvas, string text, float x, float y, float size, SKColor color, bool centre = true)
    {
        using var font = Font(size);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        var width = centre ? font.MeasureText(text) : 0;
        canvas.DrawText(text, x - width / 2, y + size / 3, font, paint);
    }

    public static void SavePng(SKBitmap bitmap, string file)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(file, data.ToArray());
    }
}
