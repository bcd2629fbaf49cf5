using System.Text.Json.Nodes;
using PainService.Jobs;
using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Worker.Jobs;
using PainService.Worker.Tests.Training;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Jobs;

public sealed class JobWorkerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private JobStoreOptions Options => new()
    {
        ConnectionString = $"Data Source={_dir.Combine("jobs.db")}",
        WorkDirectory = _dir.Combine("work"),
        PollInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        StaleAfter = TimeSpan.FromSeconds(2),
    };

    private async Task<IJobStore> StoreAsync()
    {
        var store = JobStoreOptions.CreateStore(Options);
        await store.InitializeAsync();
        return store;
    }

    private string UntrainedCheckpoint()
    {
        var path = _dir.Combine("untrained.ckpt");
        using var net = new GraphAuPainNet(ModelPresets.Get("ci", PainScheme.ThreeLevel));
        NativeCheckpoint.Save(path, new CheckpointManifest { Architecture = net.Config }, net);
        return path;
    }

    [Fact]
    public async Task EvaluateJobRunsToSuccessWithMetricsAndReport()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 8);
        var store = await StoreAsync();
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Evaluate, data, 1, new JsonObject { ["checkpoint"] = UntrainedCheckpoint() }.ToJsonString()));

        var finished = await new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var done = await store.GetAsync(job.Id);
        Assert.Equal(1, finished);
        Assert.Equal(JobStatus.Succeeded, done!.Status);
        Assert.Equal(1.0, done.Progress);
        var metrics = JsonNode.Parse(done.Metrics!)!;
        Assert.Equal(24, metrics["n"]!.GetValue<long>()); // the fold-1 test list: 3 subjects × 8 frames
        Assert.InRange(metrics["macroF1"]!.GetValue<double>(), 0, 1);
        Assert.True(File.Exists(Path.Combine(done.ResultPath!, "report.json")));
    }

    [Fact]
    public async Task BadOptionsFailTheJobWithAClearMessage()
    {
        var store = await StoreAsync();
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, _dir.Path, 1, """{"epochz": 3}"""));

        await new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var failed = await store.GetAsync(job.Id);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.Contains("unknown job option(s): epochz", failed.Message);
    }

    [Fact]
    public async Task JobOfAKilledWorkerIsReclaimedAndResumedFromItsLastEpoch()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var store = await StoreAsync();
        var options = new JsonObject { ["preset"] = "ci", ["epochs"] = 3, ["batchSize"] = 8, ["lr"] = 1e-3, ["validationFraction"] = 0.34, ["threads"] = 1, ["evaluateTest"] = false };
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, data, 1, options.ToJsonString()));

        var child = WorkerProcess.Start("run", "--connection", Options.ConnectionString, "--work-dir", Options.WorkDirectory, "--heartbeat", "00:00:00.2", "--exit-when-idle");
        WorkerProcess.KillAfter(child, Path.Combine(Options.WorkDirectory, job.Id, "last.ckpt"), TimeSpan.FromMinutes(4));
        var orphan = await store.GetAsync(job.Id);
        Assert.Equal((JobStatus.Running, 1), (orphan!.Status, orphan.Attempts));

        await Task.Delay(Options.StaleAfter + TimeSpan.FromMilliseconds(500)); // its heartbeat goes stale
        await new JobWorker(store, Options, "rescuer", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var done = await store.GetAsync(job.Id);
        Assert.Equal((JobStatus.Succeeded, "rescuer", 2), (done!.Status, done.WorkerId, done.Attempts));
        var history = JsonNode.Parse(done.Metrics!)!["history"]!.AsArray();
        Assert.Equal([1, 2, 3], history.Select(h => h!["epoch"]!.GetValue<int>()));
        Assert.Equal(Path.Combine(Options.WorkDirectory, job.Id, "best.ckpt"), done.ResultPath);
    }

    [Fact]
    public async Task CancelRequestStopsARunningJob()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var store = await StoreAsync();
        var options = new JsonObject { ["preset"] = "ci", ["epochs"] = 50, ["batchSize"] = 8, ["validationFraction"] = 0.34, ["threads"] = 1 };
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, data, 1, options.ToJsonString()));

        var worker = new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);
        while ((await store.GetAsync(job.Id))!.Status != JobStatus.Running)
            await Task.Delay(50);
        await store.CancelAsync(job.Id);
        await worker.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(JobStatus.Cancelled, (await store.GetAsync(job.Id))!.Status);
    }
}
