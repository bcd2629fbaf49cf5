using System.Net;
using System.Text.Json;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Observability;

public sealed class OpenApiAndMetricsTests
{
    [Fact]
    public async Task OpenApiDocumentDescribesTheImageUploadAndResponses()
    {
        await using var app = new PainApiFactory();
        var client = app.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var predict = document.GetProperty("paths").GetProperty("/v1/pain/predict").GetProperty("post");
        var content = predict.GetProperty("requestBody").GetProperty("content");
        var image = content.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("image");
        Assert.Equal("string", image.GetProperty("type").GetString());
        Assert.Equal("binary", image.GetProperty("format").GetString()); // Swagger UI shows a file picker for this
        Assert.True(content.TryGetProperty("image/*", out _));
        Assert.True(content.TryGetProperty("application/octet-stream", out _));
        var responses = predict.GetProperty("responses");
        foreach (var status in new[] { "200", "400", "413", "415", "422", "503" })
            Assert.True(responses.TryGetProperty(status, out _), $"response {status} documented");
        Assert.Contains("not re-calibrated", predict.GetProperty("description").GetString());
    }

    [Fact]
    public async Task SwaggerUiIsServedAndPointsAtTheDocument()
    {
        await using var app = new PainApiFactory();
        var client = app.CreateClient();

        var page = await client.GetAsync("/swagger/index.html");
        var init = await client.GetStringAsync("/swagger/index.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("/openapi/v1.json", init);
    }

    [Fact]
    public async Task MetricsCountOutcomesByCodeAndExposeBatchingSeries()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();
        await client.PostAsync("/v1/pain/predict", new ByteArrayContent("VALUE:1"u8.ToArray()) { Headers = { ContentType = new("image/png") } });
        await client.PostAsync("/v1/pain/predict", new ByteArrayContent("NOFACE"u8.ToArray()) { Headers = { ContentType = new("image/png") } });

        var metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("painservice_requests_total{outcome=\"success\",code=\"ok\"} 1", metrics);
        Assert.Contains("painservice_requests_total{outcome=\"client_error\",code=\"no_face\"} 1", metrics);
        Assert.Contains("painservice_batch_size_count 1", metrics); // the warm-up forward is not a served batch
        Assert.Contains("painservice_queue_depth 0", metrics);
        Assert.Contains("painservice_queue_wait_seconds_count 1", metrics);
        Assert.Contains("painservice_inference_seconds_count", metrics);
        Assert.Contains("painservice_face_detection_seconds_count 1", metrics);
        Assert.Contains("painservice_decode_seconds_count 1", metrics);
        Assert.Contains("painservice_request_duration_seconds_count 2", metrics);
        Assert.Contains("painservice_model_info{name=\"GraphAU-Pain\",version=\"untrained-reference\"", metrics);
    }

    [Fact]
    public async Task QueueDepthGaugeCountsRequestsWaitingBehindARunningForward()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();
        app.Predictor.Entered.Reset(); // set by the start-up warm-up
        app.Predictor.Gate = new ManualResetEventSlim(false);
        Task<HttpResponseMessage> Predict(int value) =>
            client.PostAsync("/v1/pain/predict", new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes($"VALUE:{value}")) { Headers = { ContentType = new("image/png") } });

        var first = Predict(1);
        Assert.True(app.Predictor.Entered.Wait(TimeSpan.FromSeconds(30))); // the inference thread is now held
        Task<HttpResponseMessage>[] waiting = [Predict(2), Predict(3)];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string metrics;
        while (!(metrics = await client.GetStringAsync("/metrics")).Contains("painservice_queue_depth 2\n"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "queue depth never reached 2:\n" + string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("painservice_queue_depth"))));
            await Task.Delay(20);
        }

        app.Predictor.Gate.Set();
        foreach (var response in await Task.WhenAll([first, .. waiting]))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("painservice_queue_depth 0\n", await client.GetStringAsync("/metrics"));
    }
}
