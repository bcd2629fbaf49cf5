using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PainService.Worker.Evaluation;

/// <summary>
/// Writes DIR/report.json (fractions at full precision; confusion as raw counts, rows actual), DIR/report.md,
/// DIR/confusion.png and, when a training history exists, DIR/curves.png.
/// </summary>
public static class EvaluationReport
{
    public const string JsonFile = "report.json";
    public const string MarkdownFile = "report.md";
    public const string ConfusionFile = "confusion.png";
    public const string CurvesFile = "curves.png";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <param name="source">Free-form provenance (checkpoint, dataset, fold, prediction file).</param>
    public static ReportDocument Write(string directory, PainMetrics metrics, string scheme, IReadOnlyDictionary<string, string> source,
        IReadOnlyList<EpochRecord>? history = null)
    {
        Directory.CreateDirectory(directory);
        var document = new ReportDocument(
            scheme,
            metrics.Confusion.Total,
            metrics.Classes.Select(c => new ReportClass(c.Name, c.Precision, c.Recall, c.F1, c.Support, c.OneVsRestAccuracy)).ToList(),
            metrics.Macro,
            metrics.Accuracy,
            metrics.MeanOneVsRestAccuracy,
            metrics.Confusion.ToArray(),
            source,
            history is { Count: > 0 } ? history : null);
        AtomicFile.WriteText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(document, Json));
        AtomicFile.WriteText(Path.Combine(directory, MarkdownFile), Markdown(document));
        ConfusionMatrixPlot.Write(metrics.Confusion, metrics.Classes.Select(c => c.Name).ToList(), Path.Combine(directory, ConfusionFile));
        if (document.History is { } h)
            TrainingCurvesPlot.Write(h, Path.Combine(directory, CurvesFile));
        return document;
    }

    private static string Markdown(ReportDocument d)
    {
        static string P(double v) => (100 * v).ToString("0.00", CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        md.AppendLine($"# Pain-level evaluation ({d.Scheme}, N = {d.N})").AppendLine();
        foreach (var (key, value) in d.Source)
            md.AppendLine($"- {key}: `{value}`");
        md.AppendLine().AppendLine("| class | precision | recall | F1 | support | one-vs-rest acc. |").AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var c in d.Classes)
            md.AppendLine($"| {c.Name} | {P(c.Precision)} | {P(c.Recall)} | {P(c.F1)} | {c.Support} | {P(c.OneVsRestAccuracy)} |");
        md.AppendLine($"| **macro** | {P(d.Macro.Precision)} | {P(d.Macro.Recall)} | **{P(d.Macro.F1)}** | {d.N} | |").AppendLine();
        md.AppendLine($"Overall accuracy (trace / N, the paper's number): **{P(d.Accuracy)} %**  ");
        md.AppendLine($"Mean one-vs-rest accuracy (the authors' training log `val_mean_acc`, quirk Q8): {P(d.MeanOneVsRestAccuracy)} %").AppendLine();
        md.AppendLine("Confusion matrix (rows actual, columns predicted):").AppendLine();
        md.AppendLine("| actual \\ predicted | " + string.Join(" | ", d.Classes.Select(c => c.Name)) + " |");
        md.AppendLine("| --- |" + string.Concat(d.Classes.Select(_ => " --- |")));
        for (var a = 0; a < d.Classes.Count; a++)
            md.AppendLine($"| {d.Classes[a].Name} | " + string.Join(" | ", d.Confusion[a]) + " |");
        md.AppendLine().AppendLine($"![confusion matrix]({ConfusionFile})");
        if (d.History is { } history)
        {
            md.AppendLine().AppendLine("| epoch | train loss | val loss | val macro-F1 | val acc. | LR | s |").AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var e in history)
                md.AppendLine(FormattableString.Invariant(
                    $"| {e.Epoch} | {e.TrainLoss:0.0000} | {e.ValidationLoss:0.0000} | {(e.ValidationMacroF1 is { } f ? P(f) : "")} | {(e.ValidationAccuracy is { } a ? P(a) : "")} | {e.LearningRate:0.###e0} | {e.Seconds:0.0} |"));
            md.AppendLine().AppendLine($"![training curves]({CurvesFile})");
        }
        return md.ToString();
    }
}

public sealed record ReportClass(string Name, double Precision, double Recall, double F1, long Support, double OneVsRestAccuracy);

/// <summary>The schema of report.json (read back by the API's model registry for the model's metrics).</summary>
public sealed record ReportDocument(
    string Scheme,
    long N,
    IReadOnlyList<ReportClass> Classes,
    MacroMetrics Macro,
    double Accuracy,
    double MeanOneVsRestAccuracy,
    long[][] Confusion,
    IReadOnlyDictionary<string, string> Source,
    IReadOnlyList<EpochRecord>? History);
