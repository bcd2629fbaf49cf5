using PainService.Model;
using PainService.Worker.Datasets;

namespace PainService.Worker.Evaluation;

/// <summary>
/// The authors' line formats for <c>evaluate --predictions P --labels L</c>: one row per image in list order, one-hot
/// (<c>1 0 0</c>) or per-class scores (argmax, first index wins ties); labels one-hot, or raw PSPI with a scheme.
/// </summary>
public static class PredictionFiles
{
    public static PainScheme SchemeForWidth(int width, string file) => width switch
    {
        2 => PainScheme.Binary,
        3 => PainScheme.ThreeLevel,
        4 => PainScheme.FourLevel,
        _ => throw new DatasetFormatException(file, null, $"{width} columns: expected 2, 3 or 4 one-hot columns (or 1 raw PSPI column with --scheme)"),
    };

    /// <summary>Reads the two files and writes the report (report.json, report.md, confusion PNG) to <paramref name="outDir"/>.</summary>
    public static ReportDocument Evaluate(string predictionsFile, string labelsFile, PainScheme? scheme, string outDir)
    {
        var (actual, predicted, resolved) = Read(predictionsFile, labelsFile, scheme);
        var metrics = PainMetrics.Compute(ConfusionMatrix.FromLabels(actual, predicted, resolved.ClassCount()), resolved.Labels());
        return EvaluationReport.Write(outDir, metrics, resolved.ToString(),
            new Dictionary<string, string> { ["predictions"] = predictionsFile, ["labels"] = labelsFile });
    }

    public static (int[] Actual, int[] Predicted, PainScheme Scheme) Read(string predictionsFile, string labelsFile, PainScheme? scheme)
    {
        var labels = NumericTable.Read(labelsFile);
        var predictions = NumericTable.Read(predictionsFile);
        if (predictions.Length != labels.Length)
            throw new DatasetFormatException(predictionsFile, null, $"has {predictions.Length} rows but {labelsFile} has {labels.Length}");
        var labelWidth = labels[0].Length;
        var resolved = scheme ?? SchemeForWidth(labelWidth == 1 ? predictions[0].Length : labelWidth, labelWidth == 1 ? predictionsFile : labelsFile);
        if (predictions[0].Length != resolved.ClassCount())
            throw new DatasetFormatException(predictionsFile, null, $"has {predictions[0].Length} columns but the {resolved} scheme has {resolved.ClassCount()} classes");
        var actual = new int[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            if (labelWidth == 1)
            {
                actual[i] = labels[i][0] is >= 0 and <= 16
                    ? resolved.ClassOfPspi(labels[i][0])
                    : throw new DatasetFormatException(labelsFile, i + 1, $"PSPI {labels[i][0]} is outside 0–16");
                continue;
            }
            if (labelWidth != resolved.ClassCount())
                throw new DatasetFormatException(labelsFile, null, $"has {labelWidth} columns but the {resolved} scheme has {resolved.ClassCount()} classes");
            // The authors count a label column as positive when it is ≥ 1 (spec §7.1); exactly one must be.
            var positives = Enumerable.Range(0, labelWidth).Where(c => labels[i][c] >= 1).ToList();
            actual[i] = positives.Count == 1 ? positives[0] : throw new DatasetFormatException(labelsFile, i + 1, $"{positives.Count} classes set in a one-hot row");
        }
        var predicted = predictions.Select(r => ConfusionMatrix.ArgMax(r.Select(v => (float)v).ToArray())).ToArray();
        return (actual, predicted, resolved);
    }
}
