using System.CommandLine;
using PainService.Worker.Progress;
using PainService.Worker.Training;

namespace PainService.Worker.Commands;

/// <summary><c>train</c>: stage 2, GraphAU-Pain from an SFT checkpoint, validation-selected, optionally calibrated.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var shared = new TrainingCommandOptions(TrainingOptions.ForPain("", ""));
        var temperature = new Option<bool>("--temperature-scaling") { Description = "Fit a softmax temperature on the validation split and store it with the model." };
        var evaluateTest = new Option<bool>("--evaluate-test") { Description = "After training, evaluate best.ckpt on the fold's test list (report in OUT/test-report)." };
        var command = new Command("train", "Stage 2: train the pain model (weighted CE, AdamW, cosine) with per-epoch validation on held-out training subjects.");
        shared.AddTo(command);
        command.Options.Add(temperature);
        command.Options.Add(evaluateTest);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(() =>
        {
            var options = shared.Read(parse) with { TemperatureScaling = parse.GetValue(temperature) };
            var result = PainTrainingRun.Execute(options, parse.GetValue(evaluateTest), TrainingProgress.ForConsole(), cancellationToken: cancellationToken);
            Console.WriteLine(FormattableString.Invariant(
                $"train: done, best epoch {result.State.BestEpoch} (validation macro-F1 {100 * result.State.BestScore:0.00}) → {result.BestCheckpoint}"));
            return 0;
        }));
        return command;
    }
}
