using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Testing;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// <c>Logging:Console:FormatterName=json</c> (README) turns the real process's console into one JSON object per line —
/// what a log shipper parses — with the request log line carrying its request id and outcome, and no image bytes.
/// </summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class JsonLogProcessTests
{
    [Fact]
    public async Task EveryConsoleLineIsAJsonLogEntryAndRequestsAreLoggedWithTheirIds()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string> { ["Logging:Console:FormatterName"] = "json" });
        using var client = service.CreateClient();
        using var photo = new ByteArrayContent(File.ReadAllBytes(RepoPaths.Golden("chelsea.png"))) { Headers = { ContentType = new("image/png") } };

        using var noFace = await client.PostAsync("/v1/pain/predict", photo);
        Assert.Equal(422, (int)noFace.StatusCode);
        var requestId = JsonDocument.Parse(await noFace.Content.ReadAsStringAsync()).RootElement.GetProperty("requestId").GetString()!;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!service.Output.Contains(requestId, StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);
        var lines = service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(line =>
        {
            try
            {
                return JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException e)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON log line ({e.Message}): {line}");
            }
        }).ToList();
        Assert.All(entries, e => Assert.True(e.TryGetProperty("LogLevel", out _) && e.TryGetProperty("Category", out _) && e.TryGetProperty("Message", out _), e.GetRawText()));
        var request = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.Contains(requestId, StringComparison.Ordinal)
                                                 && e.GetProperty("Category").GetString() == "PainService.Api.Observability.RequestLoggingMiddleware");
        Assert.Contains("POST /v1/pain/predict → 422 no_face", request.GetProperty("Message").GetString());
        Assert.DoesNotContain("PNG", service.Output); // the frame's bytes never reach the log
    }
}
