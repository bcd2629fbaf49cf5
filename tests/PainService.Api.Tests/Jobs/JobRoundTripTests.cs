using System.Net;
using System.Text.Json.Nodes;
using PainService.Api.Tests.Support;
using PainService.Model.Checkpoints;
using PainService.Testing;
using PainService.Worker.Jobs;
using PainService.Worker.Synthetic;
using static PainService.Api.Tests.Jobs.JobsTestHost;

namespace PainService.Api.Tests.Jobs;

/// <summary>
/// Issue 4, "Done when": a job submitted through the API is run by the worker and its model can be activated in the
/// API. The worker's own job loop runs in-process on the same SQLite file; its work folder is the API's registry.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class JobRoundTripTests : IDisposable
{
    private readonly JobsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task ATrainJobSubmittedThroughTheApiIsRunByTheWorkerAndItsModelIsActivatedAndServes()
    {
        var dataset = Path.Combine(_host.Root, "data");
        // A few-second synthetic set (6 subjects × 16 frames, 2 folds), the worker tests' "tiny" recipe.
        SyntheticDatasetGenerator.Generate(dataset, new SynthOptions { Subjects = 6, FramesPerSubject = 16, Folds = 2, Seed = 11, NoPainShare = 0.5, ObviousShare = 0.2 });
        // The real vision pipeline: the job's ci-preset model takes 96-px inputs, which the service must build itself.
        await using var app = _host.App(new RegistryCheckpointLoader(), realVision: true);
        var client = await app.StartAsync();
        var admin = Admin(app);
        var options = new JsonObject
        {
            ["preset"] = "ci", ["epochs"] = 2, ["batchSize"] = 8, ["lr"] = 1e-3, ["validationFraction"] = 0.34, ["threads"] = 1, ["evaluateTest"] = true,
            ["temperatureScaling"] = true,
        };

        var submitted = await SubmitAsync(admin, "train", dataset, 1, options);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await JsonAsync(submitted)).GetProperty("id").GetString()!;

        var worker = new JobWorker(await _host.WorkerStoreAsync(), _host.StoreOptions, "round-trip-worker", TextWriter.Null);
        var finished = await worker.RunAsync(exitWhenIdle: true, maxJobs: null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(10)); // a bound against hangs, not a speed goal

        var job = await JsonAsync(await admin.GetAsync($"/v1/jobs/{id}"));
        Assert.Equal(1, finished);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", $"job ended {job.GetProperty("status")}: {job.GetProperty("message")}");
        Assert.Equal((1.0, "round-trip-worker", 1), (job.GetProperty("progress").GetDouble(), job.GetProperty("workerId").GetString(), job.GetProperty("attempts").GetInt32()));
        var metrics = job.GetProperty("metrics");
        Assert.Equal([1, 2], metrics.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("epoch").GetInt32()));
        // The job's test metrics are those of the worker's own test report, at full precision.
        using var testReport = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_host.StoreOptions.WorkDirectory, id, "test-report", "report.json")));
        var reported = ReportMetrics(testReport.RootElement);
        Assert.Equal(48, reported["n"]); // fold-1 test list: 3 of 6 subjects × 16 frames
        Assert.Equal(reported, SummaryMetrics(metrics.GetProperty("test")));
        var resultPath = job.GetProperty("resultPath").GetString()!;
        Assert.Equal(Path.Combine(_host.StoreOptions.WorkDirectory, id, "best.ckpt"), resultPath);
        var version = job.GetProperty("modelVersion").GetString()!;
        Assert.Equal($"{id}-e{metrics.GetProperty("bestEpoch").GetInt32()}", version);

        var models = await JsonAsync(await client.GetAsync("/v1/models"));
        var listed = models.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("version").GetString() == version);
        Assert.True(listed.GetProperty("trained").GetBoolean());
        Assert.False(listed.GetProperty("active").GetBoolean());
        Assert.Equal(NativeCheckpoint.Sha256OfFile(resultPath), listed.GetProperty("weightsSha256").GetString());
        Assert.Equal(reported, SummaryMetrics(listed.GetProperty("metadata").GetProperty("metrics"))); // the registry shows the evaluation

        var activated = await admin.PostAsync($"/v1/models/{version}/activate", null);
        Assert.True(activated.StatusCode == HttpStatusCode.OK, await activated.Content.ReadAsStringAsync());
        Assert.True((await JsonAsync(activated)).GetProperty("active").GetBoolean());

        var photo = new ByteArrayContent(File.ReadAllBytes(RepoPaths.Golden("astronaut.png"))) { Headers = { ContentType = new("image/png") } };
        var prediction = await client.PostAsync("/v1/pain/predict", photo);
        Assert.True(prediction.StatusCode == HttpStatusCode.OK, await prediction.Content.ReadAsStringAsync());
        var answer = await JsonAsync(prediction);
        var model = answer.GetProperty("model");
        Assert.Equal((version, NativeCheckpoint.Sha256OfFile(resultPath), true),
            (model.GetProperty("version").GetString(), model.GetProperty("weightsSha256").GetString(), model.GetProperty("trained").GetBoolean()));
        // The temperature the job fitted on validation is the one the probabilities were computed with.
        var temperature = metrics.GetProperty("temperature").GetDouble();
        Assert.Equal(temperature, model.GetProperty("temperature").GetDouble());
        Assert.Equal(temperature, listed.GetProperty("temperature").GetDouble());
        var logits = answer.GetProperty("logits").EnumerateArray().Select(l => l.GetDouble()).ToArray();
        var exp = logits.Select(l => Math.Exp(l / temperature)).ToArray();
        var probabilities = answer.GetProperty("probabilities").EnumerateObject().ToList();
        Assert.Equal(["NoPain", "Mild", "Obvious"], probabilities.Select(p => p.Name));
        Assert.Equal(exp.Select(e => e / exp.Sum()), probabilities.Select(p => p.Value.GetDouble()), new Tolerance(1e-6));
        Assert.Contains(app.Logs.Lines, l => l.Contains($"test-admin model.activate {version}: Activated", StringComparison.Ordinal));

        // The trained job's model evaluated by a second job that names it as "job:<id>".
        var evaluation = await SubmitAsync(admin, "evaluate", dataset, 1, new JsonObject { ["checkpoint"] = $"job:{id}" });
        var evaluationId = (await JsonAsync(evaluation)).GetProperty("id").GetString()!;
        Assert.Equal(1, await worker.RunAsync(exitWhenIdle: true, maxJobs: null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1)));
        var evaluated = await JsonAsync(await admin.GetAsync($"/v1/jobs/{evaluationId}"));
        Assert.Equal("succeeded", evaluated.GetProperty("status").GetString());
        Assert.Equal(48, evaluated.GetProperty("metrics").GetProperty("n").GetInt32()); // fold-1 test list: 3 of 6 subjects × 16 frames
        Assert.True(File.Exists(Path.Combine(evaluated.GetProperty("resultPath").GetString()!, "report.json")));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, evaluated.GetProperty("modelVersion").ValueKind); // a report, not a model
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }

    /// <summary>report.json's numbers under the names of the job/registry summary (classes by their service labels).</summary>
    private static Dictionary<string, double> ReportMetrics(System.Text.Json.JsonElement report)
    {
        var values = new Dictionary<string, double>
        {
            ["n"] = report.GetProperty("n").GetDouble(),
            ["macroF1"] = report.GetProperty("macro").GetProperty("f1").GetDouble(),
            ["macroPrecision"] = report.GetProperty("macro").GetProperty("precision").GetDouble(),
            ["macroRecall"] = report.GetProperty("macro").GetProperty("recall").GetDouble(),
            ["accuracy"] = report.GetProperty("accuracy").GetDouble(),
            ["meanOneVsRestAccuracy"] = report.GetProperty("meanOneVsRestAccuracy").GetDouble(),
        };
        foreach (var c in report.GetProperty("classes").EnumerateArray())
            values[$"f1.{c.GetProperty("name").GetString()}"] = c.GetProperty("f1").GetDouble();
        return values;
    }

    /// <summary>The flat metrics summary a job and a registry entry carry, in the same shape.</summary>
    private static Dictionary<string, double> SummaryMetrics(System.Text.Json.JsonElement summary)
    {
        var values = summary.EnumerateObject().Where(p => p.Name != "f1").ToDictionary(p => p.Name, p => p.Value.GetDouble());
        foreach (var c in summary.GetProperty("f1").EnumerateObject())
            values[$"f1.{c.Name}"] = c.Value.GetDouble();
        return values;
    }

    [Fact]
    public async Task AJobTheWorkerRefusesShowsAsFailedWithItsReasonAndCannotBeCancelled()
    {
        await using var app = _host.App();
        var admin = Admin(app);
        var id = (await JsonAsync(await SubmitAsync(admin, "train", _host.Root, 1, new JsonObject { ["epochz"] = 3 }))).GetProperty("id").GetString()!;

        await new JobWorker(await _host.WorkerStoreAsync(), _host.StoreOptions, "w1", TextWriter.Null).RunAsync(exitWhenIdle: true, null, CancellationToken.None);

        var job = await JsonAsync(await admin.GetAsync($"/v1/jobs/{id}"));
        var failed = await JsonAsync(await admin.GetAsync("/v1/jobs?status=failed"));
        Assert.Equal(("failed", "w1"), (job.GetProperty("status").GetString(), job.GetProperty("workerId").GetString()));
        Assert.StartsWith("unknown job option(s): epochz", job.GetProperty("message").GetString());
        Assert.Equal([id], failed.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        await Problems.AssertProblemAsync(await admin.PostAsync($"/v1/jobs/{id}/cancel", null), HttpStatusCode.Conflict, "job_finished");
    }
}
