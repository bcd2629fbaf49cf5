using System.Net;
using System.Text;
using System.Text.Json;
using PainService.Api.Tests.Support;
using static PainService.Api.Tests.Jobs.JobsTestHost;

namespace PainService.Api.Tests.Jobs;

public sealed class JobsAccessTests : IDisposable
{
    private readonly JobsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static readonly (string Method, string Path)[] Routes =
        [("POST", "/v1/jobs"), ("GET", "/v1/jobs"), ("GET", "/v1/jobs/abc"), ("POST", "/v1/jobs/abc/cancel")];

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? new StringContent("""{"kind":"train","dataset":"/d"}""", Encoding.UTF8, "application/json") : null,
    };

    [Fact]
    public async Task WithoutAKeyEveryJobRouteIs401()
    {
        await using var app = _host.App();
        var anonymous = app.CreateAnonymousClient();

        foreach (var (method, path) in Routes)
            await Problems.AssertProblemAsync(await anonymous.SendAsync(Request(method, path)), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task APredictKeyGets403OnEveryJobRoute()
    {
        await using var app = _host.App();
        var predict = app.CreateClient();

        foreach (var (method, path) in Routes)
            await Problems.AssertProblemAsync(await predict.SendAsync(Request(method, path)), HttpStatusCode.Forbidden, "forbidden");
        Assert.Empty(await (await _host.WorkerStoreAsync()).ListAsync());
    }

    [Fact]
    public async Task AnUnreachableStoreIs503WithoutConnectionDetailsAndTheServiceStaysUp()
    {
        await using var app = new PainApiFactory();
        app.Settings["Jobs:Provider"] = "postgres";
        app.Settings["Jobs:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=secret-user;Password=secret-pw;Timeout=2";
        var client = await app.StartAsync();

        var submit = await SubmitAsync(Admin(app));
        var list = await Admin(app).GetAsync("/v1/jobs");
        var health = await client.GetAsync("/v1/models");

        var problem = await Problems.AssertProblemAsync(submit, HttpStatusCode.ServiceUnavailable, "job_store_unavailable");
        await Problems.AssertProblemAsync(list, HttpStatusCode.ServiceUnavailable, "job_store_unavailable");
        Assert.Equal("5", submit.Headers.RetryAfter!.ToString());
        Assert.DoesNotContain("secret", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains(app.Logs.Lines, l => l.Contains("The postgres job store failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApiDescribesTheJobRoutesUnderTheJobsTag()
    {
        await using var app = _host.App();

        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths");
        foreach (var (path, method, id) in new[] { ("/v1/jobs", "post", "SubmitJob"), ("/v1/jobs", "get", "ListJobs"), ("/v1/jobs/{id}", "get", "GetJob"), ("/v1/jobs/{id}/cancel", "post", "CancelJob") })
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.Equal(id, operation.GetProperty("operationId").GetString());
            Assert.Equal(["Jobs"], operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
            Assert.True(operation.TryGetProperty("security", out _), $"{method} {path} shows no API-key requirement");
        }
        var submit = paths.GetProperty("/v1/jobs").GetProperty("post");
        Assert.True(submit.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(submit.GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(paths.GetProperty("/v1/jobs/{id}/cancel").GetProperty("post").GetProperty("responses").TryGetProperty("409", out _));
    }
}
