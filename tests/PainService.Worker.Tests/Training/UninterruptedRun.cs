using PainService.Model.Checkpoints;
using PainService.Worker.Evaluation;
using PainService.Worker.Tests.Commands;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Training;

/// <summary>
/// <see cref="TinyDataset.TrainArgs"/> for 3 epochs run straight through, once per test process: the history a killed,
/// crashed or re-claimed run must reproduce epoch for epoch once it has resumed (per-epoch randomness derives from
/// seed and epoch, and the optimizer state is restored, so resuming changes nothing).
/// </summary>
internal static class UninterruptedRun
{
    private static readonly Lazy<Task<IReadOnlyList<EpochRecord>>> ThreeEpochs = new(RunAsync);

    public static Task<IReadOnlyList<EpochRecord>> HistoryAsync() => ThreeEpochs.Value;

    private static async Task<IReadOnlyList<EpochRecord>> RunAsync()
    {
        using var dir = new TempDirectory();
        var data = TinyDataset.Create(dir.Combine("data"));
        var run = dir.Combine("run");
        if (await Cli.RunAsync(TinyDataset.TrainArgs(data, run, epochs: 3)) != 0)
            throw new InvalidOperationException("the uninterrupted reference run failed");
        using var reader = NativeCheckpoint.Open(Path.Combine(run, "last.ckpt"));
        using var s = reader.OpenSection(TrainingState.Section);
        return TrainingState.Read(s).History;
    }
}
