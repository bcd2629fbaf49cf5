using System.CommandLine;
using PainService.Worker.Progress;
using PainService.Worker.Relabel;

namespace PainService.Worker.Commands;

/// <summary><c>relabel</c>: stage 0, original UNBC labels + DISFA MEFL predictions → UNBC+ lists (spec §2.4).</summary>
internal static class RelabelCommand
{
    public static Command Create()
    {
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "Dataset root in the UNBC list layout.", Required = true };
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "ME-GraphAU DISFA MEFL weights: the released .pth or a native checkpoint.", Required = true };
        var fold = new Option<int>("--fold") { Description = "Fold whose train and test lists are relabelled.", DefaultValueFactory = _ => 1 };
        var lists = new Option<string>("--lists") { Description = "Folder of the original 10-AU lists.", DefaultValueFactory = _ => "list/unbc10" };
        var output = new Option<string>("--out-lists") { Description = "Folder (under the dataset) for the UNBC+ lists.", DefaultValueFactory = _ => "list/unbcplus" };
        var legacy = new Option<bool>("--legacy-copy-bug") { Description = "Reproduce the authors' merge bug: AU1/AU2 copied from UNBC AU4/AU6 (quirk Q2)." };
        var preset = new Option<string>("--preset") { Description = "Architecture of a .pth checkpoint (paper = ResNet-50).", DefaultValueFactory = _ => "paper" };
        var batch = new Option<int>("--batch-size") { Description = "Inference batch size.", DefaultValueFactory = _ => 16 };
        var device = DeviceOption.Create();
        var command = new Command("relabel", "Stage 0: write UNBC+ labels (6 shared AUs from the labels, AU1/AU2 from the DISFA model).");
        foreach (var option in new Option[] { dataset, checkpoint, fold, lists, output, legacy, preset, batch, device })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(() =>
        {
            var options = new Relabeller.Options(parse.GetValue(dataset)!.FullName, parse.GetValue(fold), parse.GetValue(checkpoint)!.FullName,
                parse.GetValue(lists)!, parse.GetValue(output)!, parse.GetValue(legacy), parse.GetValue(batch), parse.GetValue(preset)!, parse.GetValue(device)!);
            var frames = Relabeller.Run(options, TrainingProgress.ForConsole(), cancellationToken);
            Console.WriteLine($"relabel: {frames} frames → {Path.Combine(options.Dataset, options.OutputLists)}");
            return 0;
        }));
        return command;
    }
}
