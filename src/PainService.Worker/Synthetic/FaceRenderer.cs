using SkiaSharp;

namespace PainService.Worker.Synthetic;

/// <summary>
/// Draws a 172×172 cartoon face whose features move with the AUs, so a model can only tell pain levels apart by
/// looking at the AU regions: brows (AU1/AU2 raise, AU4 lower and knit), eyes (AU6 narrows, AU43 closes), cheeks
/// (AU6 raises and flushes, crow's feet), nose (AU9 wrinkles), mouth (AU12 corners up, AU25 part, AU26 jaw drop).
/// Pose, lighting and pixel noise vary per frame so the task is not trivially separable.
/// </summary>
public static class FaceRenderer
{
    public const int Size = 172;

    public static byte[] RenderPng(FaceActions au, SubjectLook look, Random frameRng)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(look.Background);
            const float c = Size / 2f;
            canvas.Translate(look.OffsetX + Jitter(frameRng, 2), look.OffsetY + Jitter(frameRng, 2));
            canvas.RotateDegrees(Jitter(frameRng, 3), c, c);
            canvas.Scale(look.FaceScale, look.FaceScale, c, c);
            Draw(canvas, au, look);
        }
        AddLightAndNoise(bitmap, 0.85f + 0.3f * frameRng.NextSingle(), frameRng);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static float Jitter(Random rng, float amplitude) => amplitude * (2 * rng.NextSingle() - 1);

    private static void Draw(SKCanvas canvas, FaceActions au, SubjectLook look)
    {
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var ink = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, Color = new SKColor(50, 30, 25) };
        // Head (the jaw drop lengthens the chin) and hair cap.
        fill.Color = look.Hair;
        canvas.DrawOval(86, 58, 62, 40, fill);
        fill.Color = look.Skin;
        canvas.DrawOval(86, 92 + au.Au26, 56, 68 + au.Au26, fill);

        // Cheeks: raised and flushed with AU6.
        fill.Color = new SKColor(220, 60, 60, (byte)(40 * au.Au6));
        foreach (var side in new[] { -1, 1 })
            canvas.DrawOval(86 + side * 32, 106 - 2.5f * au.Au6, 13, 9, fill);

        foreach (var side in new[] { -1, 1 })
        {
            var eyeX = 86 + side * look.EyeSpacing;
            // Brows: AU1 lifts the inner end, AU2 the outer end; AU4 lowers and pulls the inner end to the middle.
            var innerX = 86 + side * (10 - 1.2f * au.Au4);
            var innerY = 62 + 3.5f * au.Au4 - 2.6f * au.Au1;
            var outerX = eyeX + side * 16;
            var outerY = 62 + 1.0f * au.Au4 - 2.6f * au.Au2;
            ink.StrokeWidth = 4.5f;
            canvas.DrawLine(innerX, innerY, outerX, outerY, ink);

            // Eyes: AU6 narrows the aperture from below, AU43 closes it.
            ink.StrokeWidth = 2f;
            var open = au.Au43 > 0 ? 0 : Math.Max(1.5f, 8 - 1.5f * au.Au6);
            if (open <= 0)
                canvas.DrawLine(eyeX - 10, 78, eyeX + 10, 78, ink);
            else
            {
                fill.Color = SKColors.White;
                canvas.DrawOval(eyeX, 78, 10, open, fill);
                fill.Color = new SKColor(40, 40, 60);
                canvas.DrawCircle(eyeX, 78, Math.Min(4, open), fill);
                canvas.DrawOval(eyeX, 78, 10, open, ink);
            }
            // Crow's feet with a strong cheek raise.
            for (var k = 0; k < au.Au6 - 1; k++)
                canvas.DrawLine(eyeX + side * 12, 76 + 3 * k - 3, eyeX + side * 18, 74 + 4 * k - 4, ink);
        }
        // Vertical furrows between knitted brows.
        ink.StrokeWidth = 2f;
        for (var k = 0; k < au.Au4 - 1; k++)
            canvas.DrawLine(83 + 3 * k - 1.5f * (au.Au4 - 2), 62, 83 + 3 * k - 1.5f * (au.Au4 - 2), 70, ink);

        // Nose and AU9 wrinkles across the bridge; nostrils lift with AU9.
        canvas.DrawLine(86, 80, 86, 104, ink);
        for (var k = 0; k < au.Au9; k++)
            canvas.DrawLine(79, 84 + 3.5f * k, 93, 84 + 3.5f * k, ink);
        fill.Color = new SKColor(90, 50, 40);
        canvas.DrawOval(80, 106 - 0.8f * au.Au9, 3 + 0.4f * au.Au9, 2, fill);
        canvas.DrawOval(92, 106 - 0.8f * au.Au9, 3 + 0.4f * au.Au9, 2, fill);

        DrawMouth(canvas, au, ink, fill);
    }

    private static void DrawMouth(SKCanvas canvas, FaceActions au, SKPaint ink, SKPaint fill)
    {
        // AU12 pulls the corners up and out; AU25 parts the lips; AU26 drops the jaw and opens further.
        var halfWidth = 17 + 1.6f * au.Au12;
        var cornerY = 128 - 2.2f * au.Au12;
        var gap = 2.2f * au.Au25 + 3.5f * au.Au26 + (au.Au26 > 0 && au.Au25 == 0 ? 2 : 0);
        var upper = 126 + 0.5f * au.Au12;
        var lower = 131 + gap + 1.0f * au.Au12;
        using var path = new SKPath();
        path.MoveTo(86 - halfWidth, cornerY);
        path.QuadTo(86, upper - 3, 86 + halfWidth, cornerY);
        path.QuadTo(86, lower + 3, 86 - halfWidth, cornerY);
        path.Close();
        fill.Color = gap > 0 ? new SKColor(70, 20, 25) : new SKColor(170, 70, 70);
        canvas.DrawPath(path, fill);
        ink.StrokeWidth = 2.2f;
        ink.Color = new SKColor(150, 50, 55);
        canvas.DrawPath(path, ink);
    }

    /// <summary>Global brightness and per-pixel noise: photometric nuisance the colour-jitter augmentation should absorb.</summary>
    private static void AddLightAndNoise(SKBitmap bitmap, float light, Random rng)
    {
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i += 4)
            for (var ch = 0; ch < 3; ch++)
                pixels[i + ch] = (byte)Math.Clamp(pixels[i + ch] * light + rng.Next(-6, 7), 0, 255);
    }
}
