using System.Text.Json.Nodes;
using PainService.Jobs;
using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Model.Mefl;
using PainService.Model.Weights;
using PainService.Worker.Datasets;
using PainService.Worker.Jobs;
using PainService.Worker.Tests.Training;
using PainService.Worker.Training;
using TorchSharp;

namespace PainService.Worker.Tests.Jobs;

public sealed class JobWorkerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private JobStoreOptions Options => TestJobStore.Options(_dir);

    private Task<IJobStore> StoreAsync() => TestJobStore.CreateAsync(Options);

    /// <summary>
    /// A model that answers <paramref name="answer"/> for every frame: the final fc's weights are zero and its bias
    /// favours one class, so the evaluation's metrics follow from the test labels alone.
    /// </summary>
    private string ConstantCheckpoint(int answer)
    {
        var path = _dir.Combine($"always-{answer}.ckpt");
        using var net = new GraphAuPainNet(ModelPresets.Get("ci", PainScheme.ThreeLevel));
        using (torch.no_grad())
        {
            var fc = net.get_parameter("fc.weight")!;
            fc.zero_();
            net.get_parameter("fc.bias")!.copy_(torch.tensor(Enumerable.Range(0, 3).Select(c => c == answer ? 5f : 0f).ToArray()));
        }
        NativeCheckpoint.Save(path, new CheckpointManifest { Architecture = net.Config }, net);
        return path;
    }

    [Fact]
    public async Task EvaluateJobRunsToSuccessWithTheMetricsOfItsPredictions()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 8);
        var labels = UnbcDatasetReader.Read(data, DatasetSplit.Test, new DatasetReadOptions { RequirePainLabels = true, CheckImages = false }).PainClasses!;
        var support = Enumerable.Range(0, 3).Select(c => labels.Count(l => l == c)).ToArray();
        const int Mild = 1;
        Assert.All(support, s => Assert.True(s > 0, "every class must occur in the test list"));
        var store = await StoreAsync();
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Evaluate, data, 1, new JsonObject { ["checkpoint"] = ConstantCheckpoint(Mild) }.ToJsonString()));

        var finished = await new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var done = await store.GetAsync(job.Id);
        Assert.Equal(1, finished);
        Assert.Equal(JobStatus.Succeeded, done!.Status);
        Assert.Equal(1.0, done.Progress);
        var metrics = JsonNode.Parse(done.Metrics!)!;
        Assert.Equal(24, metrics["n"]!.GetValue<long>()); // the fold-1 test list: 3 subjects × 8 frames
        // Always "Mild": accuracy = its share p; its precision p and recall 1 give F1 2p/(1+p); the other classes score 0.
        var p = (double)support[Mild] / labels.Count;
        Assert.Equal(p, metrics["accuracy"]!.GetValue<double>(), 12);
        Assert.Equal(2 * p / (1 + p) / 3, metrics["macroF1"]!.GetValue<double>(), 12);
        Assert.Equal(p / 3, metrics["macroPrecision"]!.GetValue<double>(), 12);
        Assert.Equal(1.0 / 3, metrics["macroRecall"]!.GetValue<double>(), 12);
        var f1 = metrics["f1"]!;
        Assert.Equal(0.0, f1["NoPain"]!.GetValue<double>(), 12);
        Assert.Equal(2 * p / (1 + p), f1["Mild"]!.GetValue<double>(), 12);
        Assert.Equal(0.0, f1["Obvious"]!.GetValue<double>(), 12);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(done.ResultPath!, "report.json")))!;
        Assert.Equal(support.Select(s => new long[] { 0, s, 0 }), report["confusion"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<long>()).ToArray()));
    }

    [Fact]
    public async Task BadOptionsFailTheJobWithAClearMessage()
    {
        var store = await StoreAsync();
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, _dir.Path, 1, """{"epochz": 3}"""));

        await new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var failed = await store.GetAsync(job.Id);
        Assert.Equal((JobStatus.Failed, 1), (failed!.Status, failed.Attempts)); // a user error is not retried
        Assert.Contains("unknown job option(s): epochz", failed.Message);
        Assert.Equal(failed.Message, failed.LastError);
    }

    [Fact]
    public async Task AJobAskingForCudaOnAMachineWithoutItFailsAtOnce()
    {
        if (torch.cuda.is_available())
            return;
        var store = await StoreAsync();
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, _dir.Combine("no-such-dataset"), 1, """{"device":"cuda"}"""));

        await new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var failed = await store.GetAsync(job.Id);
        Assert.Equal((JobStatus.Failed, 1), (failed!.Status, failed.Attempts)); // a user error is not retried
        Assert.StartsWith("--device is 'cuda' but TorchSharp reports no CUDA device", failed.Message);
    }

    [Fact]
    public async Task AWorkerConfiguredForCudaWithoutItStopsBeforeClaimingAnything()
    {
        if (torch.cuda.is_available())
            return;
        var store = await StoreAsync();
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Evaluate, _dir.Path, 1, "{}"));

        var (exit, _, error) = WorkerProcess.Run(new Dictionary<string, string> { ["Model__Device"] = "cuda" },
            "run", "--connection", Options.ConnectionString, "--work-dir", Options.WorkDirectory, "--exit-when-idle");

        Assert.Equal(2, exit);
        Assert.Contains("error: --device is 'cuda' but TorchSharp reports no CUDA device", error);
        Assert.Equal((JobStatus.Queued, 0), ((await store.GetAsync(job.Id))!.Status, (await store.GetAsync(job.Id))!.Attempts));
    }

    [Fact]
    public async Task CancelRequestStopsARunningJob()
    {
        var data = TinyDataset.Create(_dir.Combine("data"));
        var store = await StoreAsync();
        var options = new JsonObject { ["preset"] = "ci", ["epochs"] = 50, ["batchSize"] = 8, ["validationFraction"] = 0.34, ["threads"] = 1 };
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, data, 1, options.ToJsonString()));

        var worker = new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);
        // While it runs, GET /v1/jobs/{id} shows progress and the metrics of the epochs done so far (heartbeats).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JobRecord running;
        while ((running = (await store.GetAsync(job.Id))!) is not { Status: JobStatus.Running, Progress: > 0, Metrics: not null }
               || JsonNode.Parse(running.Metrics!)!["epochsDone"]!.GetValue<int>() < 1)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"no progress reported: {running.Status} {running.Progress} {running.Metrics}");
            await Task.Delay(50);
        }
        var metrics = JsonNode.Parse(running.Metrics!)!;
        Assert.InRange(running.Progress, 1.0 / 50, 0.999);
        Assert.Equal(metrics["epochsDone"]!.GetValue<int>(), metrics["history"]!.AsArray().Count);
        Assert.True(double.IsFinite(metrics["history"]![0]!["trainLoss"]!.GetValue<double>()));
        await store.CancelAsync(job.Id);
        await worker.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(JobStatus.Cancelled, (await store.GetAsync(job.Id))!.Status);
    }

    [Fact]
    public async Task ARelabelJobWritesUnbcPlusListsThatAnSftJobThenReads()
    {
        var data = TinyDataset.Create(_dir.Combine("data"), frames: 6);
        var mefl = _dir.Combine("mefl.ckpt");
        using (var net = FormulaWeights.Apply(new MeflNet(ModelPresets.Get("ci", PainScheme.ThreeLevel))))
            NativeCheckpoint.Save(mefl, new CheckpointManifest { Model = ModelKind.Stage1, Architecture = net.Config }, net);
        var store = await StoreAsync();
        var relabel = await store.SubmitAsync(new JobSubmission(JobKind.Relabel, data, 1,
            new JsonObject { ["checkpoint"] = mefl, ["preset"] = "ci", ["batchSize"] = 8 }.ToJsonString()));
        var sft = await store.SubmitAsync(new JobSubmission(JobKind.Sft, data, 1,
            new JsonObject { ["preset"] = "ci", ["epochs"] = 1, ["batchSize"] = 8, ["threads"] = 1, ["lists"] = "list/unbcplus-fold1" }.ToJsonString()));

        var finished = await new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        Assert.Equal(2, finished);
        var relabelled = (await store.GetAsync(relabel.Id))!;
        Assert.True(relabelled.Status == JobStatus.Succeeded, relabelled.Message);
        Assert.Equal(Path.Combine(data, "list/unbcplus-fold1"), relabelled.ResultPath);
        var read = new DatasetReadOptions { ListFolder = "list/unbcplus-fold1", RequireAuLabels = true, RequireAuPositives = false, CheckImages = false };
        var train = UnbcDatasetReader.Read(data, DatasetSplit.Train, read with { Fold = 1 });
        var test = UnbcDatasetReader.Read(data, DatasetSplit.Test, read with { Fold = 1 });
        Assert.Equal(train.Count + test.Count, JsonNode.Parse(relabelled.Metrics!)!["frames"]!.GetValue<int>());
        Assert.All(train.AuLabels!, row => Assert.Equal(8, row.Length));
        // The sft job reads exactly those lists. The formula-weight MEFL model predicts AU1 for none of this fold's
        // training frames, so it stops before training with the reader's clear reason (a user error: not retried).
        var trained = (await store.GetAsync(sft.Id))!;
        Assert.Equal((JobStatus.Failed, 1), (trained.Status, trained.Attempts));
        Assert.Equal($"{Path.Combine(data, "list/unbcplus-fold1", "UNBC_train_label_fold1.txt")}: column 1 (AU1) has no positive row: the AU cannot be learnt and its weight is undefined",
            trained.Message);
        Assert.DoesNotContain(train.AuLabels!, row => row[0] > 0);
    }
}
