using System.CommandLine;
using PainService.Model;
using PainService.Worker.Evaluation;

namespace PainService.Worker.Commands;

/// <summary>
/// <c>evaluate --predictions P --labels L --out DIR</c>: the spec §7.1 metrics of a prediction file against labels
/// (the authors' one-hot line format), written as report.json, report.md and confusion.png.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var predictions = new Option<FileInfo>("--predictions") { Description = "One row per image: one-hot or class scores (argmax)." };
        var labels = new Option<FileInfo>("--labels") { Description = "One row per image: one-hot pain labels, or raw PSPI with --scheme." };
        var scheme = new Option<PainScheme?>("--scheme") { Description = "ThreeLevel | FourLevel | Binary (default: from the label width)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Report folder.", Required = true };
        var command = new Command("evaluate", "Pain-level metrics (per class, macro, overall and one-vs-rest accuracy, confusion) into a report folder.");
        foreach (var option in new Option[] { predictions, labels, scheme, output })
            command.Options.Add(option);
        command.SetAction((parse, _) => CommandRunner.RunAsync(() =>
        {
            var p = parse.GetValue(predictions) ?? throw new ArgumentException("--predictions is required (with --labels)");
            var l = parse.GetValue(labels) ?? throw new ArgumentException("--labels is required (with --predictions)");
            var (actual, predicted, resolved) = PredictionFiles.Read(p.FullName, l.FullName, parse.GetValue(scheme));
            var metrics = PainMetrics.Compute(ConfusionMatrix.FromLabels(actual, predicted, resolved.ClassCount()), resolved.Labels());
            var outDir = parse.GetValue(output)!.FullName;
            EvaluationReport.Write(outDir, metrics, resolved.ToString(),
                new Dictionary<string, string> { ["predictions"] = p.FullName, ["labels"] = l.FullName });
            Console.WriteLine(FormattableString.Invariant(
                $"evaluate: N={actual.Length} macro-F1 {100 * metrics.Macro.F1:0.00} accuracy {100 * metrics.Accuracy:0.00} → {outDir}"));
            return 0;
        }));
        return command;
    }
}
