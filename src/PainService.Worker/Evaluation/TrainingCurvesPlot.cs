using SkiaSharp;

namespace PainService.Worker.Evaluation;

/// <summary>Per-epoch training/validation loss (left panel) and validation F1 (right panel) as one PNG.</summary>
public static class TrainingCurvesPlot
{
    private const int PanelWidth = 420;
    private const int PanelHeight = 300;
    private const int Margin = 50;

    public static void Write(IReadOnlyList<EpochRecord> history, string file)
    {
        if (history.Count == 0)
            throw new ArgumentException("no training history to draw");
        using var bitmap = new SKBitmap(2 * PanelWidth + 3 * Margin, PanelHeight + 2 * Margin);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        var losses = history.Select(h => h.TrainLoss).Concat(history.Where(h => h.ValidationLoss.HasValue).Select(h => h.ValidationLoss!.Value));
        var lossMax = Math.Max(1e-9, losses.Max());
        Panel(canvas, Margin, "loss (blue: train, orange: validation)", 0, lossMax,
            [(history.Select(h => (double?)h.TrainLoss).ToList(), new SKColor(31, 119, 180)),
             (history.Select(h => h.ValidationLoss).ToList(), new SKColor(255, 127, 14))], history);
        Panel(canvas, 2 * Margin + PanelWidth, "validation macro-F1", 0, 1,
            [(history.Select(h => h.ValidationMacroF1).ToList(), new SKColor(44, 160, 44))], history);
        PlotCanvas.SavePng(bitmap, file);
    }

    private static void Panel(SKCanvas canvas, float x0, string title, double min, double max,
        IReadOnlyList<(List<double?> Values, SKColor Colour)> series, IReadOnlyList<EpochRecord> history)
    {
        var y0 = Margin;
        using var axis = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, IsStroke = true };
        canvas.DrawRect(x0, y0, PanelWidth, PanelHeight, axis);
        PlotCanvas.Text(canvas, title, x0 + PanelWidth / 2f, y0 - 18, 14, SKColors.Black);
        PlotCanvas.Text(canvas, $"{max:0.###}", x0 - 22, y0, 11, SKColors.Black);
        PlotCanvas.Text(canvas, $"{min:0.###}", x0 - 22, y0 + PanelHeight, 11, SKColors.Black);
        PlotCanvas.Text(canvas, $"epoch {history[0].Epoch}", x0 + 30, y0 + PanelHeight + 16, 11, SKColors.Black);
        PlotCanvas.Text(canvas, $"epoch {history[^1].Epoch}", x0 + PanelWidth - 30, y0 + PanelHeight + 16, 11, SKColors.Black);
        foreach (var (values, colour) in series)
        {
            using var line = new SKPaint { Color = colour, StrokeWidth = 2, IsStroke = true, IsAntialias = true };
            SKPoint? previous = null;
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] is not { } v)
                    continue;
                var px = x0 + (values.Count == 1 ? PanelWidth / 2f : i * PanelWidth / (float)(values.Count - 1));
                var py = y0 + PanelHeight - (float)((v - min) / (max - min)) * PanelHeight;
                var point = new SKPoint(px, py);
                if (previous is { } p)
                    canvas.DrawLine(p, point, line);
                canvas.DrawCircle(point, 3, line);
                previous = point;
            }
        }
    }
}
