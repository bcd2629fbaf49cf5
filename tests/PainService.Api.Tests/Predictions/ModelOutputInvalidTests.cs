using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Predictions;

/// <summary>
/// A model output that JSON cannot carry (NaN, ±infinity) is the server's model failing on that image: 500
/// problem+json <c>model_output_invalid</c> (no Retry-After: the same image gives the same output), counted in the
/// metrics and logged as an error — not a bare 500 from the serializer. The fake model's logits are [v, 0.5, -v] for an
/// input whose first value is v, so "VALUE:NaN" gives NaN logits and "VALUE:Infinity" ±infinity.
/// </summary>
public sealed class ModelOutputInvalidTests
{
    private static ByteArrayContent Frame(string image) =>
        new(Encoding.ASCII.GetBytes(image)) { Headers = { ContentType = new("image/png") } };

    [Theory]
    [InlineData("VALUE:NaN", "logits")]
    [InlineData("VALUE:Infinity", "logits")]
    [InlineData("VALUE:-Infinity", "logits")]
    public async Task NonFiniteLogitsAnswer500ModelOutputInvalid(string image, string output)
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();

        using var response = await client.PostAsync("/v1/pain/predict", Frame(image));

        var body = await Problems.AssertProblemAsync(response, HttpStatusCode.InternalServerError, "model_output_invalid");
        Assert.Contains(output, body.GetProperty("detail").GetString());
        Assert.False(response.Headers.Contains("Retry-After"));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("painservice_requests_total{outcome=\"error\",code=\"model_output_invalid\"} 1\n", metrics);
        Assert.Contains("painservice_model_events_total{event=\"output_invalid\"} 1\n", metrics);
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Error PainService.Api.Predictions.PredictionService", StringComparison.Ordinal)
            && l.Contains("untrained-reference produced a non-finite value", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("Unhandled exception", StringComparison.Ordinal));
        // One image's bad output does not take the model out of service.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/pain/predict", Frame("VALUE:2"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task PredictBatchGivesTheFramesWithNonFiniteOutputTheirOwn500AndTheOthersTheirResults()
    {
        await using var app = new PainApiFactory { Settings = { ["Batching:MaxBatchDelay"] = "00:00:00.300" } };
        var client = await app.StartAsync();
        var content = new MultipartFormDataContent();
        foreach (var (id, image) in new[] { ("t0", "VALUE:1"), ("t1", "VALUE:NaN"), ("t2", "VALUE:Infinity"), ("t3", "VALUE:3") })
            content.Add(new ByteArrayContent(Encoding.ASCII.GetBytes(image)) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, id, "f.jpg");

        using var response = await client.PostAsync("/v1/pain/predict-batch", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var frames = JsonDocument.Parse(text).RootElement.GetProperty("frames").EnumerateArray().ToArray();
        Assert.Equal([200, 500, 500, 200], frames.Select(f => f.GetProperty("status").GetInt32()));
        Assert.Equal(["model_output_invalid", "model_output_invalid"],
            frames[1..3].Select(f => f.GetProperty("problem").GetProperty("code").GetString()));
        Assert.Equal(3f, frames[3].GetProperty("result").GetProperty("logits")[0].GetSingle());
        Assert.False(response.Headers.Contains("Retry-After")); // nothing here is worth retrying
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("painservice_requests_total{outcome=\"error\",code=\"model_output_invalid\"} 2\n", metrics);
        Assert.Contains("painservice_requests_total{outcome=\"success\",code=\"ok\"} 2\n", metrics);
    }
}
