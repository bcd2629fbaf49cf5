using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using PainService.Api.Jobs;
using PainService.Api.Tests.Support;
using PainService.Jobs;
using static PainService.Api.Tests.Jobs.JobsTestHost;

namespace PainService.Api.Tests.Jobs;

public sealed class JobsApiTests : IDisposable
{
    private readonly JobsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static bool IsAudit(string line, string text) => line.Contains("PainService.Audit", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal);

    [Fact]
    public async Task SubmitQueuesTheJobAnswers202WithLocationAndAudits()
    {
        await using var app = _host.App();
        var admin = Admin(app);

        var response = await SubmitAsync(admin, "train", "/data/unbc", 2, new JsonObject { ["preset"] = "ci", ["epochs"] = 3 });
        var body = await JsonAsync(response);
        var id = body.GetProperty("id").GetString()!;
        var fetched = await JsonAsync(await admin.GetAsync(response.Headers.Location));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/v1/jobs/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(32, id.Length);
        Assert.Equal(("train", "/data/unbc", 2, "queued", 0.0, 0), (body.GetProperty("kind").GetString(), body.GetProperty("dataset").GetString(),
            body.GetProperty("fold").GetInt32(), body.GetProperty("status").GetString(), body.GetProperty("progress").GetDouble(), body.GetProperty("attempts").GetInt32()));
        Assert.Equal(3, body.GetProperty("options").GetProperty("epochs").GetInt32());
        Assert.Equal("ci", fetched.GetProperty("options").GetProperty("preset").GetString());
        Assert.Equal(id, fetched.GetProperty("id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fetched.GetProperty("modelVersion").ValueKind);
        var stored = await (await _host.WorkerStoreAsync()).GetAsync(id);
        Assert.Equal((JobKind.Train, JobStatus.Queued, 2), (stored!.Kind, stored.Status, stored.Fold));
        Assert.Contains(app.Logs.Lines, l => IsAudit(l, $"test-admin job.submit {id}: Queued: train on /data/unbc fold 2"));
    }

    // One host for all cases: every test host costs file watchers, and the machine's inotify budget is shared.
    private static readonly (string Json, string Code)[] InvalidBodies =
    [
        ("""{"kind":"bake","dataset":"/d"}""", "invalid_job_kind"),
        ("""{"kind":"1","dataset":"/d"}""", "invalid_job_kind"),
        ("""{"dataset":"/d"}""", "invalid_job_kind"),
        ("""{"kind":"train"}""", "missing_dataset"),
        ("""{"kind":"train","dataset":"  "}""", "missing_dataset"),
        ("""{"kind":"train","dataset":42}""", "missing_dataset"),
        ("""{"kind":"train","dataset":"/d","fold":0}""", "invalid_fold"),
        ("""{"kind":"train","dataset":"/d","fold":1.5}""", "invalid_fold"),
        ("""{"kind":"train","dataset":"/d","fold":"2"}""", "invalid_fold"),
        ("""{"kind":"train","dataset":"/d","options":[1]}""", "invalid_job_options"),
        ("""{"kind":"train","dataset":"/d","options":"epochs=3"}""", "invalid_job_options"),
        ("""{"kind":"train","dataset":"/d","option":{}}""", "invalid_job_request"),
        ("""[{"kind":"train"}]""", "invalid_job_request"),
        ("""{"kind":"train",""", "invalid_job_request"),
    ];

    [Fact]
    public async Task InvalidSubmissionsAre400WithAStableCodeAndNothingIsQueued()
    {
        await using var app = _host.App();
        var admin = Admin(app);

        foreach (var (json, code) in InvalidBodies)
        {
            var response = await admin.PostAsync("/v1/jobs", new StringContent(json, Encoding.UTF8, "application/json"));

            await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        }
        Assert.Empty(await (await _host.WorkerStoreAsync()).ListAsync());
        var audited = app.Logs.Lines.Select(l => Regex.Match(l, @"AUDIT \S+ test-admin job\.submit -: Rejected: (\w+) ")).Where(m => m.Success).Select(m => m.Groups[1].Value);
        Assert.Equal(InvalidBodies.Select(b => b.Code), audited);
    }

    [Fact]
    public async Task AnOversizedSubmissionIs413()
    {
        await using var app = _host.App();
        var json = new JsonObject { ["kind"] = "train", ["dataset"] = "/d", ["options"] = new JsonObject { ["licenceNote"] = new string('x', 70_000) } }.ToJsonString();

        var response = await Admin(app).PostAsync("/v1/jobs", new StringContent(json, Encoding.UTF8, "application/json"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Empty(await (await _host.WorkerStoreAsync()).ListAsync());
    }

    [Fact]
    public async Task KindIsCaseInsensitiveAndFoldDefaultsTo1()
    {
        await using var app = _host.App();

        var response = await Admin(app).PostAsync("/v1/jobs", new StringContent("""{"kind":"Evaluate","dataset":"/d"}""", Encoding.UTF8, "application/json"));

        var body = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(("evaluate", 1, "{}"), (body.GetProperty("kind").GetString(), body.GetProperty("fold").GetInt32(), body.GetProperty("options").GetRawText()));
    }

    [Fact]
    public async Task ListIsNewestFirstFilteredByStatusAndBounded()
    {
        await using var app = _host.App();
        var admin = Admin(app);
        var ids = new List<string>();
        foreach (var kind in new[] { "sft", "train", "evaluate" })
        {
            ids.Add((await JsonAsync(await SubmitAsync(admin, kind))).GetProperty("id").GetString()!);
            await Task.Delay(5); // distinct creation milliseconds
        }
        await admin.PostAsync($"/v1/jobs/{ids[1]}/cancel", null);

        var all = await JsonAsync(await admin.GetAsync("/v1/jobs"));
        var cancelled = await JsonAsync(await admin.GetAsync("/v1/jobs?status=cancelled"));
        var page = await JsonAsync(await admin.GetAsync("/v1/jobs?limit=2&status=QUEUED"));

        Assert.Equal([ids[2], ids[1], ids[0]], all.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        Assert.Equal(JobsApi.DefaultPageSize, all.GetProperty("limit").GetInt32());
        Assert.Equal([ids[1]], cancelled.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        Assert.Equal([ids[2], ids[0]], page.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        Assert.Equal(2, page.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task BadListQueriesAre400()
    {
        await using var app = _host.App();
        var admin = Admin(app);

        foreach (var (query, code) in new[] { ("status=done", "invalid_job_status"), ("limit=0", "invalid_limit"), ("limit=201", "invalid_limit"), ("limit=ten", "invalid_limit"), ("limit=-5", "invalid_limit") })
            await Problems.AssertProblemAsync(await admin.GetAsync($"/v1/jobs?{query}"), HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task UnknownJobIs404()
    {
        await using var app = _host.App();
        var admin = Admin(app);

        var problem = await Problems.AssertProblemAsync(await admin.GetAsync("/v1/jobs/nope"), HttpStatusCode.NotFound, "job_not_found");
        await Problems.AssertProblemAsync(await admin.PostAsync("/v1/jobs/nope/cancel", null), HttpStatusCode.NotFound, "job_not_found");

        Assert.Equal("No job has id 'nope'.", problem.GetProperty("detail").GetString());
        Assert.Contains(app.Logs.Lines, l => IsAudit(l, "test-admin job.cancel nope: Rejected: job_not_found"));
    }

    [Fact]
    public async Task CancellingAQueuedJobIsImmediateAndAFinishedOneIs409()
    {
        await using var app = _host.App();
        var admin = Admin(app);
        var id = (await JsonAsync(await SubmitAsync(admin))).GetProperty("id").GetString()!;

        var first = await admin.PostAsync($"/v1/jobs/{id}/cancel", null);
        var again = await admin.PostAsync($"/v1/jobs/{id}/cancel", null);

        var body = await JsonAsync(first);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("cancelled", body.GetProperty("status").GetString());
        Assert.Equal("cancelled before it started", body.GetProperty("message").GetString());
        Assert.True(body.TryGetProperty("finishedAt", out var finished) && finished.ValueKind == System.Text.Json.JsonValueKind.String);
        var problem = await Problems.AssertProblemAsync(again, HttpStatusCode.Conflict, "job_finished");
        Assert.Contains("is cancelled", problem.GetProperty("detail").GetString());
        Assert.Contains(app.Logs.Lines, l => IsAudit(l, $"test-admin job.cancel {id}: Cancelled"));
        Assert.Contains(app.Logs.Lines, l => IsAudit(l, $"test-admin job.cancel {id}: Rejected: job_finished"));
    }

    [Fact]
    public async Task CancellingARunningJobAsksItsWorkerAndASucceededOneIs409()
    {
        await using var app = _host.App();
        var admin = Admin(app);
        var running = (await JsonAsync(await SubmitAsync(admin))).GetProperty("id").GetString()!;
        var store = await _host.WorkerStoreAsync();
        await store.ClaimAsync("w1", TimeSpan.FromMinutes(1));
        var finished = (await JsonAsync(await SubmitAsync(admin, "evaluate"))).GetProperty("id").GetString()!;
        await store.ClaimAsync("w1", TimeSpan.FromMinutes(1));
        await store.CompleteAsync(finished, "w1", JobStatus.Succeeded, """{"macroF1":0.5}""", "evaluated", "/tmp/out");

        var response = await admin.PostAsync($"/v1/jobs/{running}/cancel", null);
        var late = await admin.PostAsync($"/v1/jobs/{finished}/cancel", null);

        var body = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(("running", true, "w1"), (body.GetProperty("status").GetString(), body.GetProperty("cancelRequested").GetBoolean(), body.GetProperty("workerId").GetString()));
        Assert.Equal(new HeartbeatResult(true, true), await store.HeartbeatAsync(running, "w1", 0.5, null, null));
        await Problems.AssertProblemAsync(late, HttpStatusCode.Conflict, "job_finished");
        var done = await JsonAsync(await admin.GetAsync($"/v1/jobs/{finished}"));
        Assert.Equal(("succeeded", 1.0, 0.5, "/tmp/out"), (done.GetProperty("status").GetString(), done.GetProperty("progress").GetDouble(),
            done.GetProperty("metrics").GetProperty("macroF1").GetDouble(), done.GetProperty("resultPath").GetString()));
        Assert.Contains(app.Logs.Lines, l => IsAudit(l, $"test-admin job.cancel {running}: CancelRequested"));
    }
}
