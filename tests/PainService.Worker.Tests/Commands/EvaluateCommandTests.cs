using System.Text.Json;
using PainService.Worker.Evaluation;
using SkiaSharp;

namespace PainService.Worker.Tests.Commands;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly long[][] Paper = [[7558, 581, 1], [493, 583, 35], [45, 3, 50]];

    /// <summary>Writes the authors' one-hot line files that produce the given confusion matrix.</summary>
    private (string Predictions, string Labels) WriteFiles(long[][] matrix)
    {
        var labels = new List<string>();
        var predictions = new List<string>();
        string OneHot(int c) => string.Join(' ', Enumerable.Range(0, matrix.Length).Select(k => k == c ? "1" : "0"));
        for (var a = 0; a < matrix.Length; a++)
            for (var p = 0; p < matrix.Length; p++)
                for (var n = 0; n < matrix[a][p]; n++)
                {
                    labels.Add(OneHot(a));
                    predictions.Add(OneHot(p));
                }
        File.WriteAllLines(_dir.Combine("pred.txt"), predictions);
        File.WriteAllLines(_dir.Combine("labels.txt"), labels);
        return (_dir.Combine("pred.txt"), _dir.Combine("labels.txt"));
    }

    [Fact]
    public async Task PaperPredictionFilesGiveTableTwoInReportJson()
    {
        var (predictions, labels) = WriteFiles(Paper);
        var output = _dir.Combine("report");

        Assert.Equal(0, await Cli.RunAsync("evaluate", "--predictions", predictions, "--labels", labels, "--out", output));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var root = json.RootElement;
        var classes = root.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(["NoPain", "Mild", "Obvious"], classes.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([93.10, 51.19, 54.35], classes.Select(c => Math.Round(100 * c.GetProperty("f1").GetDouble(), 2)));
        Assert.Equal([8140L, 1111L, 98L], classes.Select(c => c.GetProperty("support").GetInt64()));
        Assert.Equal(66.21, Math.Round(100 * root.GetProperty("macro").GetProperty("f1").GetDouble(), 2));
        Assert.Equal(65.45, Math.Round(100 * root.GetProperty("macro").GetProperty("recall").GetDouble(), 2));
        Assert.Equal(67.15, Math.Round(100 * root.GetProperty("macro").GetProperty("precision").GetDouble(), 2));
        Assert.Equal(8191.0 / 9349, root.GetProperty("accuracy").GetDouble(), 15); // full precision, a fraction
        Assert.Equal(91.74, Math.Round(100 * root.GetProperty("meanOneVsRestAccuracy").GetDouble(), 2));
        Assert.Equal(Paper, root.GetProperty("confusion").Deserialize<long[][]>());
        Assert.Contains("| **macro** | 67.15 | 65.45 | **66.21** |", File.ReadAllText(Path.Combine(output, "report.md")));
    }

    [Fact]
    public async Task ConfusionPngUsesLogScaledColours()
    {
        var (predictions, labels) = WriteFiles(Paper);
        var output = _dir.Combine("report");
        Assert.Equal(0, await Cli.RunAsync("evaluate", "--predictions", predictions, "--labels", labels, "--out", output));

        using var png = SKBitmap.Decode(Path.Combine(output, EvaluationReport.ConfusionFile));
        SKColor Cell(int a, int p) => png.GetPixel(ConfusionMatrixPlot.Left + p * ConfusionMatrixPlot.Cell + 8, ConfusionMatrixPlot.Top + a * ConfusionMatrixPlot.Cell + 8);
        Assert.Equal(ConfusionMatrixPlot.CellColour(1), Cell(0, 0)); // 7558, the maximum
        Assert.Equal(ConfusionMatrixPlot.CellColour(Math.Log(51) / Math.Log(7559)), Cell(2, 2)); // 50: log scale, not 50/7558
        Assert.True(Cell(2, 2).Red < 200); // on a linear scale 50 would be near-white
        Assert.False(File.Exists(Path.Combine(output, EvaluationReport.CurvesFile))); // no history, no curves
    }

    [Fact]
    public async Task RawPspiLabelsWithSchemeAreBinned()
    {
        File.WriteAllLines(_dir.Combine("pred.txt"), ["1 0 0 0", "0 1 0 0", "0 0 0 1", "0 0 0 1"]);
        File.WriteAllLines(_dir.Combine("pspi.txt"), ["0", "1", "3", "2"]);

        Assert.Equal(0, await Cli.RunAsync("evaluate", "--predictions", _dir.Combine("pred.txt"), "--labels", _dir.Combine("pspi.txt"), "--scheme", "FourLevel", "--out", _dir.Combine("r")));

        var report = JsonSerializer.Deserialize<ReportDocument>(File.ReadAllText(_dir.Combine("r", "report.json")), EvaluationReport.Json)!;
        Assert.Equal([[1L, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 1]], report.Confusion);
        Assert.Equal(0.75, report.Accuracy);
    }

    [Fact]
    public async Task MismatchedFilesFailWithUsageErrorAndNoReport()
    {
        File.WriteAllLines(_dir.Combine("pred.txt"), ["1 0 0", "0 1 0"]);
        File.WriteAllLines(_dir.Combine("labels.txt"), ["1 0 0"]);

        Assert.Equal(2, await Cli.RunAsync("evaluate", "--predictions", _dir.Combine("pred.txt"), "--labels", _dir.Combine("labels.txt"), "--out", _dir.Combine("r")));
        Assert.False(File.Exists(_dir.Combine("r", "report.json")));
    }
}
