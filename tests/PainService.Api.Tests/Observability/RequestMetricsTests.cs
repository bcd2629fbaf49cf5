using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Observability;

/// <summary>
/// The request counter sees every prediction request, including those refused by authentication or the rate limiter
/// before any handler ran, and predict-batch records its duration like predict.
/// </summary>
public sealed class RequestMetricsTests
{
    private static ByteArrayContent Frame() => new("VALUE:1"u8.ToArray()) { Headers = { ContentType = new("image/png") } };

    private static MultipartFormDataContent Frames(params (string Id, string Image)[] frames)
    {
        var content = new MultipartFormDataContent();
        foreach (var (id, image) in frames)
            content.Add(new ByteArrayContent(Encoding.ASCII.GetBytes(image)) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, id, "frame.jpg");
        return content;
    }

    [Fact]
    public async Task RequestsRefusedByAuthenticationAreCountedWithTheirCode()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();
        var anonymous = app.CreateAnonymousClient();
        var wrongKey = app.CreateAnonymousClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/v1/pain/predict", Frame())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.PostAsync("/v1/pain/predict", Frame())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/v1/pain/predict-batch", Frames(("a", "VALUE:1")))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/models")).StatusCode); // not a prediction
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/pain/predict", Frame())).StatusCode);
        var metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("painservice_requests_total{outcome=\"client_error\",code=\"unauthorized\"} 3\n", metrics);
        Assert.Contains("painservice_requests_total{outcome=\"success\",code=\"ok\"} 1\n", metrics);
        // Refused before the handler: no duration, no batch.
        Assert.Contains("painservice_request_duration_seconds_count 1\n", metrics);
        Assert.Contains("painservice_batch_size_count 1\n", metrics);
    }

    [Fact]
    public async Task RequestsRefusedByTheRateLimiterAreCountedAsRejected()
    {
        await using var app = new PainApiFactory
        {
            Settings = { ["RateLimiting:Enabled"] = "true", ["RateLimiting:PermitLimit"] = "1", ["RateLimiting:Window"] = "01:00:00" },
        };
        var client = await app.StartAsync();

        var first = await client.PostAsync("/v1/pain/predict", Frame());
        var second = await client.PostAsync("/v1/pain/predict", Frame());
        var third = await client.PostAsync("/v1/pain/predict-batch", Frames(("a", "VALUE:1")));
        var metrics = await client.GetStringAsync("/metrics"); // /metrics is not rate limited

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Problems.AssertProblemAsync(second, HttpStatusCode.TooManyRequests, "rate_limited");
        await Problems.AssertProblemAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("painservice_requests_total{outcome=\"rejected\",code=\"rate_limited\"} 2\n", metrics);
        Assert.Contains("painservice_requests_total{outcome=\"success\",code=\"ok\"} 1\n", metrics);
        Assert.DoesNotContain("code=\"unauthorized\"", metrics);
    }

    [Fact]
    public async Task PredictBatchRecordsOneDurationPerCallAndAnOutcomePerFrame()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        var batch = await client.PostAsync("/v1/pain/predict-batch", Frames(("a", "VALUE:1"), ("b", "NOFACE"), ("c", "VALUE:2")));
        var refused = await client.PostAsync("/v1/pain/predict-batch", Frames(("a", "VALUE:1"), ("a", "VALUE:2")));
        var metrics = await client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        await Problems.AssertProblemAsync(refused, HttpStatusCode.BadRequest, "duplicate_frame_id");
        Assert.Contains("painservice_request_duration_seconds_count 2\n", metrics);
        Assert.Contains("painservice_requests_total{outcome=\"success\",code=\"ok\"} 2\n", metrics);
        Assert.Contains("painservice_requests_total{outcome=\"client_error\",code=\"no_face\"} 1\n", metrics);
        Assert.Contains("painservice_requests_total{outcome=\"client_error\",code=\"duplicate_frame_id\"} 1\n", metrics);
    }
}
