using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Jobs;
using PainService.Model.Checkpoints;
using PainService.Worker.Evaluation;
using PainService.Worker.Jobs;
using PainService.Worker.Tests.Training;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Jobs;

/// <summary>
/// A job outlives what goes wrong under it: a worker killed mid-run (re-claimed after its heartbeat goes stale) and a
/// run that throws (re-queued up to Jobs:MaxAttempts). Either way the next attempt must start from the last
/// checkpoint — proven by what it reports first, by the untouched files of the kept epochs, and by losses equal to an
/// uninterrupted run's.
/// </summary>
[Collection(nameof(ProcessWideTorchState))]
public sealed class JobRecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private JobStoreOptions Options => TestJobStore.Options(_dir);

    private Task<IJobStore> StoreAsync() => TestJobStore.CreateAsync(Options);

    [Fact]
    public async Task JobOfAKilledWorkerIsReclaimedAndResumedFromItsLastEpoch()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var store = await StoreAsync();
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, data, 1, TinyDataset.TrainJobOptions(epochs: 3)));
        var folder = Path.Combine(Options.WorkDirectory, job.Id);

        var child = WorkerProcess.Start("run", "--connection", Options.ConnectionString, "--work-dir", Options.WorkDirectory, "--heartbeat", "00:00:00.2", "--exit-when-idle");
        WorkerProcess.KillAfter(child, Path.Combine(folder, "last.ckpt"), TimeSpan.FromMinutes(4));
        var orphan = await store.GetAsync(job.Id);
        Assert.Equal((JobStatus.Running, 1), (orphan!.Status, orphan.Attempts));
        var killed = StateOf(Path.Combine(folder, "last.ckpt"));
        Assert.InRange(killed.EpochsDone, 1, 2);
        var kept = Enumerable.Range(1, killed.EpochsDone).ToDictionary(e => e, e => NativeCheckpoint.Sha256OfFile(Path.Combine(folder, $"epoch{e}.ckpt")));

        await Task.Delay(Options.StaleAfter + TimeSpan.FromMilliseconds(500)); // its heartbeat goes stale
        var seen = new List<int>();
        await new JobWorker(store, Options, "rescuer", TextWriter.Null) { AfterEpoch = (_, state) => seen.Add(state.EpochsDone) }
            .RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var done = await store.GetAsync(job.Id);
        Assert.Equal((JobStatus.Succeeded, "rescuer", 2), (done!.Status, done.WorkerId, done.Attempts));
        Assert.Equal(Path.Combine(folder, "best.ckpt"), done.ResultPath);
        // The rescuer began from the killed run's checkpoint (its first report is the restored state) and trained only
        // the epochs after it.
        Assert.Equal(Enumerable.Range(killed.EpochsDone, 4 - killed.EpochsDone), seen);
        // The epochs finished before the kill were not run again: their files are byte-identical and their history
        // records (wall-clock seconds included) are the killed run's own.
        foreach (var (epoch, sha) in kept)
            Assert.Equal(sha, NativeCheckpoint.Sha256OfFile(Path.Combine(folder, $"epoch{epoch}.ckpt")));
        var final = StateOf(Path.Combine(folder, "last.ckpt"));
        Assert.Equal(killed.History, final.History.Take(killed.EpochsDone));
        // And continuing from that checkpoint trains exactly what an uninterrupted run does.
        Assert.Equal(Losses(await UninterruptedRun.HistoryAsync()), Losses(HistoryOf(done)));
    }

    [Fact]
    public async Task ACrashedAttemptIsRetriedAndResumesFromItsLastCheckpoint()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var store = await StoreAsync();
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, data, 1, TinyDataset.TrainJobOptions(epochs: 3)));
        var epoch1 = Path.Combine(Options.WorkDirectory, job.Id, "epoch1.ckpt");
        var seen = new List<(int Attempt, int EpochsDone)>();
        string? epoch1Sha = null;
        var log = new StringWriter();

        var finished = await new JobWorker(store, Options, "w1", log)
        {
            AfterEpoch = (claimed, state) =>
            {
                seen.Add((claimed.Attempts, state.EpochsDone));
                if (claimed.Attempts == 1 && state.EpochsDone == 1)
                {
                    epoch1Sha = NativeCheckpoint.Sha256OfFile(epoch1);
                    throw new ExternalException("injected test fault: libtorch error in batch_norm");
                }
            },
        }.RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var done = await store.GetAsync(job.Id);
        Assert.Equal(1, finished);
        Assert.Equal((JobStatus.Succeeded, 2, "w1"), (done!.Status, done.Attempts, done.WorkerId));
        Assert.Equal("ExternalException: injected test fault: libtorch error in batch_norm", done.LastError);
        Assert.Contains("attempt 1 of 3 failed (ExternalException", log.ToString());
        // Attempt 2 restored epoch 1 from the checkpoint and trained epochs 2 and 3 only; epoch 1's file is untouched.
        Assert.Equal([(1, 1), (2, 1), (2, 2), (2, 3)], seen);
        Assert.Equal(epoch1Sha, NativeCheckpoint.Sha256OfFile(epoch1));
        Assert.Equal(Losses(await UninterruptedRun.HistoryAsync()), Losses(HistoryOf(done)));
    }

    [Fact]
    public async Task AJobThatCrashesOnEveryAttemptFailsAfterMaxAttempts()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 8);
        var store = await StoreAsync();
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, data, 1, TinyDataset.TrainJobOptions(epochs: 1)));
        var options = Options;
        options.MaxAttempts = 2;

        var finished = await new JobWorker(store, options, "w1", TextWriter.Null) { AfterEpoch = (_, _) => throw new ExternalException("injected persistent fault") }
            .RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var failed = await store.GetAsync(job.Id);
        Assert.Equal(1, finished);
        Assert.Equal((JobStatus.Failed, 2), (failed!.Status, failed.Attempts));
        Assert.Equal("failed on attempt 2 of 2: ExternalException: injected persistent fault", failed.Message);
        Assert.Equal(failed.Message, failed.LastError);
    }

    private static TrainingState StateOf(string checkpoint)
    {
        using var reader = NativeCheckpoint.Open(checkpoint);
        using var s = reader.OpenSection(TrainingState.Section);
        return TrainingState.Read(s);
    }

    private static List<EpochRecord> HistoryOf(JobRecord job) =>
        JsonNode.Parse(job.Metrics!)!["history"].Deserialize<List<EpochRecord>>(EvaluationReport.Json)!;

    private static IEnumerable<(int, double, double?, double?)> Losses(IEnumerable<EpochRecord> history) =>
        history.Select(h => (h.Epoch, h.TrainLoss, h.ValidationLoss, h.ValidationMacroF1)).ToList();
}
