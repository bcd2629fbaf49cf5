using System.Net;
using System.Text.Json;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Health;

public sealed class HealthTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private static string Reason(JsonElement body) => body.GetProperty("checks").GetProperty("model").GetProperty("reason").GetString()!;

    [Fact]
    public async Task LiveAnswersAtOnceWhileTheModelIsStillLoadingAndReadyExplainsWhy()
    {
        using var gate = new ManualResetEventSlim(false);
        var predictor = new FakePredictor();
        await using var app = new PainApiFactory { Loader = new FakeLoader(predictor) { Gate = gate } };
        var client = app.CreateClient();

        var live = await GetAsync(client, "/health/live");
        var ready = await GetAsync(client, "/health/ready");
        var predict = await client.PostAsync("/v1/pain/predict", new ByteArrayContent("VALUE:1"u8.ToArray())
            { Headers = { ContentType = new("image/png") } });

        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Equal("Healthy", live.Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Contains("loading", Reason(ready.Body));
        await Problems.AssertProblemAsync(predict, HttpStatusCode.ServiceUnavailable, "model_not_ready");
        Assert.True(predict.Headers.Contains("Retry-After"));

        gate.Set();
        await app.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);
        Assert.Equal(1, predictor.ForwardCount); // the warm-up forward ran before ready
    }

    [Fact]
    public async Task ProductionRefusesTheUntrainedModel()
    {
        await using var app = new PainApiFactory { EnvironmentName = "Production" };
        var client = await app.StartAsync();

        var ready = await GetAsync(client, "/health/ready");
        var predict = await client.PostAsync("/v1/pain/predict", new ByteArrayContent("VALUE:1"u8.ToArray())
            { Headers = { ContentType = new("image/png") } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Contains("Model:AllowUntrained", Reason(ready.Body));
        await Problems.AssertProblemAsync(predict, HttpStatusCode.ServiceUnavailable, "model_not_ready");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live")).Status);
    }

    [Fact]
    public async Task ProductionServesTheUntrainedModelWhenExplicitlyAllowed()
    {
        await using var app = new PainApiFactory { EnvironmentName = "Production", Settings = { ["Model:AllowUntrained"] = "true" } };
        var client = await app.StartAsync();

        var ready = await GetAsync(client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Contains("not for clinical use", Reason(ready.Body));
        Assert.False(ready.Body.GetProperty("checks").GetProperty("model").GetProperty("data").GetProperty("trained").GetBoolean());
    }

    [Fact]
    public async Task ProductionServesATrainedModel()
    {
        await using var app = new PainApiFactory { EnvironmentName = "Production", Predictor = new FakePredictor(trained: true) };
        var client = await app.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);
    }

    [Fact]
    public async Task FailedLoadKeepsTheServiceNotReadyWithTheReason()
    {
        var loader = new FakeLoader(new FakePredictor()) { Throw = new InvalidDataException("checkpoint header is corrupt") };
        await using var app = new PainApiFactory { Loader = loader };
        var client = await app.StartAsync();

        var ready = await GetAsync(client, "/health/ready");
        var predict = await client.PostAsync("/v1/pain/predict", new ByteArrayContent("VALUE:1"u8.ToArray())
            { Headers = { ContentType = new("image/png") } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Contains("checkpoint header is corrupt", Reason(ready.Body));
        await Problems.AssertProblemAsync(predict, HttpStatusCode.ServiceUnavailable, "model_not_ready");
    }

    [Theory]
    [InlineData("Cascades/does-not-exist.xml", "not found")]
    [InlineData("EMPTY", "is empty")]
    public async Task BrokenHaarCascadeKeepsTheServiceNotReadyAndRequestsGet503(string cascade, string reason)
    {
        var empty = Path.GetTempFileName(); // zero bytes
        try
        {
            await using var app = new PainApiFactory
            {
                RealVision = true,
                Settings = { ["Vision:CascadePath"] = cascade == "EMPTY" ? empty : cascade },
            };
            var client = await app.StartAsync();

            var ready = await GetAsync(client, "/health/ready");
            var predict = await client.PostAsync("/v1/pain/predict", new ByteArrayContent("VALUE:1"u8.ToArray())
                { Headers = { ContentType = new("image/png") } });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
            Assert.Contains("face detector failed to load", Reason(ready.Body));
            Assert.Contains(reason, Reason(ready.Body));
            // The public reason names the file, not where it lives; the log keeps the full path.
            var file = cascade == "EMPTY" ? empty : Path.Combine(AppContext.BaseDirectory, cascade);
            Assert.Contains($"'{Path.GetFileName(file)}'", Reason(ready.Body));
            Assert.DoesNotContain(Path.GetDirectoryName(file)!, Reason(ready.Body));
            Assert.Contains(app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains(file, StringComparison.Ordinal));
            await Problems.AssertProblemAsync(predict, HttpStatusCode.ServiceUnavailable, "model_not_ready");
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public async Task BrieflyMissingCheckpointIsRetriedThenServed()
    {
        var loader = new FakeLoader(new FakePredictor()) { MissingFirst = 2 };
        await using var app = new PainApiFactory { Loader = loader };
        var client = await app.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);
        Assert.Equal(3, loader.Attempts);
    }

    [Fact]
    public async Task CheckpointStillMissingAfterRetriesKeepsTheServiceNotReady()
    {
        var loader = new FakeLoader(new FakePredictor()) { MissingFirst = 100 };
        await using var app = new PainApiFactory { Loader = loader };
        var client = await app.StartAsync(TimeSpan.FromSeconds(30));

        var ready = await GetAsync(client, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Contains("does not exist", Reason(ready.Body));
        Assert.Equal(4, loader.Attempts); // the first try and three retries
        // /health/ready is public: the file name only. The log keeps the configured path.
        Assert.Contains("Model checkpoint 'best.ckpt' (Model:CheckpointPath) does not exist", Reason(ready.Body));
        Assert.DoesNotContain("/models", Reason(ready.Body));
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("'/models/best.ckpt'", StringComparison.Ordinal));
        var predict = await client.PostAsync("/v1/pain/predict", new ByteArrayContent("VALUE:1"u8.ToArray())
            { Headers = { ContentType = new("image/png") } });
        var problem = await Problems.AssertProblemAsync(predict, HttpStatusCode.ServiceUnavailable, "model_not_ready");
        Assert.DoesNotContain("/models", problem.GetProperty("detail").GetString());
    }
}
