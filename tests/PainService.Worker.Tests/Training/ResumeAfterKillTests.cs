using System.Text.Json;
using PainService.Model.Checkpoints;
using PainService.Model.Training;
using PainService.Worker.Evaluation;
using PainService.Worker.Tests.Commands;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Training;

public sealed class ResumeAfterKillTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static TrainingState StateOf(string checkpoint)
    {
        using var reader = NativeCheckpoint.Open(checkpoint);
        using var s = reader.OpenSection(TrainingState.Section);
        return TrainingState.Read(s);
    }

    [Fact]
    public async Task KilledRunResumesAfterItsLastCompletedEpoch()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var run = _dir.Combine("run");
        var child = WorkerProcess.Start(TinyDataset.TrainArgs(data, run, epochs: 3));

        // last.ckpt is copied after epochN.ckpt is written: waiting for it means the first epoch is fully saved.
        WorkerProcess.KillAfter(child, Path.Combine(run, "last.ckpt"), TimeSpan.FromMinutes(4));
        var killed = StateOf(Path.Combine(run, "last.ckpt"));
        Assert.InRange(killed.EpochsDone, 1, 2);                // the last completed epoch survived the kill
        Assert.False(File.Exists(Path.Combine(run, "epoch3.ckpt")));

        // Without --resume the run refuses to overwrite; with it, it continues after the last completed epoch.
        Assert.Equal(2, await Cli.RunAsync(TinyDataset.TrainArgs(data, run, epochs: 3)));
        Assert.Equal(0, await Cli.RunAsync([.. TinyDataset.TrainArgs(data, run, epochs: 3), "--resume"]));

        var final = StateOf(Path.Combine(run, "last.ckpt"));
        Assert.Equal(3, final.EpochsDone);
        Assert.Equal([1, 2, 3], final.History.Select(h => h.Epoch));
        // The epochs finished before the kill are kept as they were, not re-run.
        Assert.Equal(killed.History.Select(h => h.TrainLoss), final.History.Take(killed.EpochsDone).Select(h => h.TrainLoss));
        Assert.True(File.Exists(Path.Combine(run, "epoch3.ckpt")));
        Assert.True(File.Exists(Path.Combine(run, "best.ckpt")));
    }

    [Fact]
    public async Task CheckpointCarriesOptimizerStateSeedsAndProvenance()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 12);
        var run = _dir.Combine("run");

        Assert.Equal(0, await Cli.RunAsync([.. TinyDataset.TrainArgs(data, run, epochs: 1), "--seed", "5"]));

        using var reader = NativeCheckpoint.Open(Path.Combine(run, "best.ckpt"));
        Assert.Contains(TrainingState.OptimizerSection, reader.SectionNames);
        Assert.Equal(ModelKind.Pain, reader.Manifest.Model);
        Assert.True(reader.Manifest.Trained);
        var provenance = reader.Manifest.Metadata["provenance"]!;
        Assert.Equal(5, provenance["seed"]!.GetValue<int>());
        Assert.Equal(1, provenance["fold"]!.GetValue<int>());
        Assert.Contains("no real person", provenance["dataset"]!["licence"]!.GetValue<string>());
        Assert.NotEmpty(provenance["intendedUse"]!.GetValue<string>());
        var train = provenance["subjects"]!["train"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var validation = provenance["subjects"]!["validation"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.NotEmpty(validation);
        Assert.Empty(train.Intersect(validation));
        var history = reader.Manifest.Metadata["history"].Deserialize<List<EpochRecord>>(EvaluationReport.Json)!;
        var epoch = Assert.Single(history);
        // The rate follows the per-iteration cosine (spec §6.1): the last step of the only epoch is well below lr0,
        // where a per-epoch schedule or a constant rate would still be at 1e-3.
        var iterations = CosineSchedule.Iterations(epoch.Images, 8);
        Assert.InRange(iterations, 3, 100);
        Assert.Equal(new CosineSchedule(1e-3, 1, iterations).At(0, iterations - 1), epoch.LearningRate, 12);
        Assert.True(epoch.LearningRate < 0.9e-3, $"last learning rate {epoch.LearningRate}");
    }
}
