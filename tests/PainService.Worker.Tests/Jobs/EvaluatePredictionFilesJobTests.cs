using System.Text.Json.Nodes;
using PainService.Jobs;
using PainService.Worker.Jobs;

namespace PainService.Worker.Tests.Jobs;

/// <summary>
/// The evaluate job's second form, as `evaluate --predictions P --labels L`: the authors' one-hot line files (paths
/// relative to the job's dataset folder) reproduce the paper's Table 2 from its confusion matrix.
/// </summary>
public sealed class EvaluatePredictionFilesJobTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private JobStoreOptions Options => TestJobStore.Options(_dir);

    [Fact]
    public async Task PaperPredictionFilesGiveTableTwoAsJobMetrics()
    {
        long[][] paper = [[7558, 581, 1], [493, 583, 35], [45, 3, 50]];
        var data = Directory.CreateDirectory(_dir.Combine("data")).FullName;
        string OneHot(int c) => string.Join(' ', Enumerable.Range(0, 3).Select(k => k == c ? "1" : "0"));
        var rows = (from a in Enumerable.Range(0, 3) from p in Enumerable.Range(0, 3) from n in Enumerable.Range(0, (int)paper[a][p]) select (a, p)).ToList();
        File.WriteAllLines(Path.Combine(data, "pred.txt"), rows.Select(r => OneHot(r.p)));
        File.WriteAllLines(Path.Combine(data, "labels.txt"), rows.Select(r => OneHot(r.a)));
        var store = await TestJobStore.CreateAsync(Options);
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Evaluate, data, 1,
            new JsonObject { ["predictions"] = "pred.txt", ["labels"] = "labels.txt" }.ToJsonString()));

        Assert.Equal(1, await new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None));

        var done = (await store.GetAsync(job.Id))!;
        Assert.Equal(JobStatus.Succeeded, done.Status);
        var metrics = JsonNode.Parse(done.Metrics!)!;
        Assert.Equal(9349, metrics["n"]!.GetValue<long>());
        Assert.Equal(66.21, Math.Round(100 * metrics["macroF1"]!.GetValue<double>(), 2));
        Assert.Equal(67.15, Math.Round(100 * metrics["macroPrecision"]!.GetValue<double>(), 2));
        Assert.Equal(65.45, Math.Round(100 * metrics["macroRecall"]!.GetValue<double>(), 2));
        Assert.Equal(8191.0 / 9349, metrics["accuracy"]!.GetValue<double>(), 15);
        Assert.Equal([93.10, 51.19, 54.35], new[] { "NoPain", "Mild", "Obvious" }.Select(c => Math.Round(100 * metrics["f1"]![c]!.GetValue<double>(), 2)));
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(done.ResultPath!, "report.json")))!;
        Assert.Equal(paper, report["confusion"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<long>()).ToArray()));
    }

    [Fact]
    public async Task PredictionsWithoutLabelsFailTheJobWithAClearMessage()
    {
        var store = await TestJobStore.CreateAsync(Options);
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Evaluate, _dir.Path, 1, new JsonObject { ["predictions"] = "pred.txt" }.ToJsonString()));

        await new JobWorker(store, Options, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var done = (await store.GetAsync(job.Id))!;
        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.Contains("an evaluate job with options.predictions needs options.labels", done.Message);
    }
}
