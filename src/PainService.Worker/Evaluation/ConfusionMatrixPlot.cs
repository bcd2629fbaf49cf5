using SkiaSharp;

namespace PainService.Worker.Evaluation;

/// <summary>
/// The confusion matrix as a PNG in the style of the paper's Fig. 2: cells coloured on a log scale (so the huge
/// No-Pain cell does not wash out the rare classes) and labelled with raw counts; rows actual, columns predicted.
/// </summary>
public static class ConfusionMatrixPlot
{
    public const int Cell = 110;
    public const int Left = 130;
    public const int Top = 60;

    public static void Write(ConfusionMatrix matrix, IReadOnlyList<string> names, string file)
    {
        var k = matrix.Classes;
        using var bitmap = new SKBitmap(Left + k * Cell + 30, Top + k * Cell + 80);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        var max = Math.Log(1 + Enumerable.Range(0, k).SelectMany(a => Enumerable.Range(0, k).Select(p => matrix[a, p])).Max());
        for (var a = 0; a < k; a++)
            for (var p = 0; p < k; p++)
            {
                var level = max > 0 ? Math.Log(1 + matrix[a, p]) / max : 0;
                using var fill = new SKPaint { Color = CellColour(level) };
                canvas.DrawRect(Left + p * Cell, Top + a * Cell, Cell, Cell, fill);
                PlotCanvas.Text(canvas, matrix[a, p].ToString(), Left + p * Cell + Cell / 2f, Top + a * Cell + Cell / 2f, 20,
                    level > 0.55 ? SKColors.White : SKColors.Black);
            }
        for (var c = 0; c < k; c++)
        {
            PlotCanvas.Text(canvas, names[c], Left + c * Cell + Cell / 2f, Top + k * Cell + 20, 15, SKColors.Black);
            PlotCanvas.Text(canvas, names[c], Left / 2f + 10, Top + c * Cell + Cell / 2f, 15, SKColors.Black);
        }
        PlotCanvas.Text(canvas, "Predicted", Left + k * Cell / 2f, Top + k * Cell + 52, 16, SKColors.Black);
        PlotCanvas.Text(canvas, "Actual (rows) — colour: log(1 + count)", Left + k * Cell / 2f - 40, Top / 2f, 16, SKColors.Black);
        PlotCanvas.SavePng(bitmap, file);
    }

    /// <summary>White to dark blue, like matplotlib's "Blues" map that the authors' figure used.</summary>
    public static SKColor CellColour(double level)
    {
        level = Math.Clamp(level, 0, 1);
        static byte Mix(double from, double to, double t) => (byte)Math.Round(from + (to - from) * t);
        return new SKColor(Mix(247, 8, level), Mix(251, 48, level), Mix(255, 107, level));
    }
}
