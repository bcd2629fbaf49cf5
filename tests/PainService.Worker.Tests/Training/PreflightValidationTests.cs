using PainService.Jobs;
using PainService.Worker.Datasets;
using PainService.Worker.Jobs;
using PainService.Worker.Progress;
using PainService.Worker.Tests.Commands;
using PainService.Worker.Training;

using PainService.Worker.Tests.Jobs;

namespace PainService.Worker.Tests.Training;

/// <summary>
/// Issue 4: "validation with clear errors before any training starts" — also for the lists a command only reads
/// after training (the test list that <c>train</c> evaluates at the end).
/// </summary>
public sealed class PreflightValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    /// <summary>A tiny set whose fold-1 test list names an image that is gone (line 3).</summary>
    private (string Data, string TestList, string Missing) DatasetWithATestImageMissing()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 6);
        var layout = new UnbcLayout(data);
        var list = layout.ImageList(DatasetSplit.Test, 1);
        var missing = File.ReadAllLines(list)[2];
        File.Delete(Path.Combine(layout.ImageDirectory, missing));
        return (data, list, missing);
    }

    private static string[] CheckpointFiles(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ckpt", SearchOption.AllDirectories) : [];

    [Fact]
    public void TrainRejectsAMissingTestImageBeforeTheFirstEpoch()
    {
        var (data, list, missing) = DatasetWithATestImageMissing();
        var run = _dir.Combine("run");
        var options = TrainingOptions.ForPain(data, run) with { Preset = "ci", Epochs = 1, BatchSize = 8, ValidationFraction = 0.34, Threads = 1 };
        var epochs = 0;

        var error = Assert.Throws<DatasetFormatException>(() =>
            PainTrainingRun.Execute(options, evaluateTest: true, new TrainingProgress(TextWriter.Null, false), _ => epochs++));

        Assert.Equal((list, 3), (error.File, error.Line));
        Assert.Equal($"{list}:3: 1 listed image(s) missing under {Path.Combine(data, "img")}, first: '{missing}'", error.Message);
        Assert.Equal(0, epochs);
        Assert.Empty(CheckpointFiles(run));
    }

    [Fact]
    public async Task TheTrainCommandFailsWithAUsageErrorAndWritesNoCheckpoint()
    {
        var (data, _, _) = DatasetWithATestImageMissing();
        var run = _dir.Combine("run");

        Assert.Equal(2, await Cli.RunAsync([.. TinyDataset.TrainArgs(data, run, epochs: 1), "--evaluate-test"]));
        Assert.Empty(CheckpointFiles(run));
    }

    [Fact]
    public async Task ATrainJobWithABrokenTestListFailsAtOnceAsAUserError()
    {
        var (data, list, missing) = DatasetWithATestImageMissing();
        var options = TestJobStore.Options(_dir);
        var store = await TestJobStore.CreateAsync(options);
        // The train job evaluates the test fold by default (evaluateTest true).
        var jobOptions = TinyDataset.TrainJobOptions(epochs: 1).Replace("\"evaluateTest\":false", "\"evaluateTest\":true");
        Assert.Contains("\"evaluateTest\":true", jobOptions);
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, data, 1, jobOptions));

        await new JobWorker(store, options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var failed = await store.GetAsync(job.Id);
        Assert.Equal((JobStatus.Failed, 1), (failed!.Status, failed.Attempts)); // a user error is not retried
        Assert.Equal($"{list}:3: 1 listed image(s) missing under {Path.Combine(data, "img")}, first: '{missing}'", failed.Message);
        Assert.Empty(CheckpointFiles(options.WorkDirectory));
    }
}
