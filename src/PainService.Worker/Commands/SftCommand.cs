using System.CommandLine;
using PainService.Worker.Progress;
using PainService.Worker.Training;

namespace PainService.Worker.Commands;

/// <summary><c>sft</c>: stage 1, AU supervised fine-tuning with undersampling rules or a frame list (spec §6.2).</summary>
internal static class SftCommand
{
    public static Command Create()
    {
        var shared = new TrainingCommandOptions(TrainingOptions.ForSft("", ""));
        var keepNoAu = new Option<bool>("--keep-no-au") { Description = "Keep frames with no active AU (excluded by default)." };
        var dropFraction = new Option<double>("--drop-fraction") { Description = "Random fraction of over-represented low-PSPI frames to drop.", DefaultValueFactory = _ => 0 };
        var dropMaxPspi = new Option<double>("--drop-max-pspi") { Description = "Frames with PSPI ≤ this count as over-represented.", DefaultValueFactory = _ => 0 };
        var frameList = new Option<FileInfo?>("--frame-list") { Description = "Train on exactly these image paths (e.g. the authors' published SFT list)." };
        var command = new Command("sft", "Stage 1: train the AU graph model (WAL, AdamW, cosine) on an undersampled training list.");
        shared.AddTo(command);
        foreach (var option in new Option[] { keepNoAu, dropFraction, dropMaxPspi, frameList })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(() =>
        {
            var options = shared.Read(parse) with
            {
                Sampling = new SftSampling
                {
                    ExcludeNoActiveAu = !parse.GetValue(keepNoAu),
                    DropFraction = parse.GetValue(dropFraction),
                    OverRepresentedMaxPspi = parse.GetValue(dropMaxPspi),
                    FrameList = parse.GetValue(frameList)?.FullName,
                },
            };
            using var trainer = new SftTrainer(options, TrainingProgress.ForConsole());
            var state = trainer.Run(cancellationToken);
            Console.WriteLine(FormattableString.Invariant(
                $"sft: done, best epoch {state.BestEpoch} (validation mean AU F1 {100 * state.BestScore:0.00}) → {trainer.Checkpoints.Best}"));
            return 0;
        }));
        return command;
    }
}
