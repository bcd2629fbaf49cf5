using System.CommandLine;
using PainService.Model;
using PainService.Worker.Datasets;
using PainService.Worker.Evaluation;
using PainService.Worker.Progress;
using PainService.Worker.Training;

namespace PainService.Worker.Commands;

/// <summary>
/// <c>evaluate --predictions P --labels L --out DIR</c> (the authors' one-hot line files) or
/// <c>evaluate --checkpoint C --dataset D --fold F --out DIR</c> (run the model on the fold's test list):
/// the spec §7.1 metrics as report.json, report.md, confusion.png (+ curves.png when the checkpoint has a history).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var predictions = new Option<FileInfo>("--predictions") { Description = "One row per image: one-hot or class scores (argmax)." };
        var labels = new Option<FileInfo>("--labels") { Description = "One row per image: one-hot pain labels, or raw PSPI with --scheme." };
        var scheme = new Option<PainScheme?>("--scheme") { Description = "ThreeLevel | FourLevel | Binary (default: from the label width)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Report folder.", Required = true };
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "A pain-model checkpoint to run on --dataset." };
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "Dataset root in the UNBC list layout (with --checkpoint)." };
        var fold = new Option<int>("--fold") { Description = "Fold whose test list is evaluated.", DefaultValueFactory = _ => 1 };
        var lists = new Option<string>("--lists") { Description = "List sub-folder of the dataset.", DefaultValueFactory = _ => "list" };
        var split = new Option<DatasetSplit>("--split") { Description = "Which list of the fold: Test (default) or Train.", DefaultValueFactory = _ => DatasetSplit.Test };
        var device = DeviceOption.Create();
        var command = new Command("evaluate", "Pain-level metrics (per class, macro, overall and one-vs-rest accuracy, confusion) into a report folder.");
        foreach (var option in new Option[] { predictions, labels, scheme, output, checkpoint, dataset, fold, lists, split, device })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(() =>
        {
            if (parse.GetValue(checkpoint) is { } model)
            {
                var root = parse.GetValue(dataset) ?? throw new ArgumentException("--dataset is required with --checkpoint");
                var target = parse.GetValue(output)!.FullName;
                var on = parse.GetValue(device)!;
                Console.WriteLine($"evaluate: device {TrainingDevice.Name(TrainingDevice.Resolve(on))} (--device {on})");
                var report = CheckpointEvaluation.Run(model.FullName, root.FullName, parse.GetValue(fold), parse.GetValue(lists)!, target,
                    parse.GetValue(split), progress: TrainingProgress.ForConsole(), cancellationToken: cancellationToken, device: on);
                Console.WriteLine(FormattableString.Invariant(
                    $"evaluate: N={report.N} macro-F1 {100 * report.Macro.F1:0.00} accuracy {100 * report.Accuracy:0.00} → {target}"));
                return 0;
            }
            var p = parse.GetValue(predictions) ?? throw new ArgumentException("--predictions is required (with --labels)");
            var l = parse.GetValue(labels) ?? throw new ArgumentException("--labels is required (with --predictions)");
            var outDir = parse.GetValue(output)!.FullName;
            var fromFiles = PredictionFiles.Evaluate(p.FullName, l.FullName, parse.GetValue(scheme), outDir);
            Console.WriteLine(FormattableString.Invariant(
                $"evaluate: N={fromFiles.N} macro-F1 {100 * fromFiles.Macro.F1:0.00} accuracy {100 * fromFiles.Accuracy:0.00} → {outDir}"));
            return 0;
        }));
        return command;
    }
}
