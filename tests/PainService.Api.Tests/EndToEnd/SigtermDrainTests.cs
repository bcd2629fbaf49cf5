using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Vision.Tests.Golden;
using Xunit.Abstractions;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// Graceful shutdown of the real process: on SIGTERM it stops accepting, answers every request it holds (200, or
/// 503 problem+json with Retry-After) — none is dropped or reset — and exits with code 0 within the drain time.
/// </summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class SigtermDrainTests(ITestOutputHelper output)
{
    // Exit comes within the drain time plus at most: the host's stop is bounded by the drain time (its
    // ShutdownTimeout); the preparation and inference threads are then joined for what is left of it, at least 1 s
    // each (PreparationThreads/InferenceThread.JoinFloor: a decode or forward in flight), and abandoned after; the
    // runtime's teardown (libtorch, OpenCV, logging) takes well under a second (measured: exit 1.7-2.7 s after SIGTERM
    // with a 2 s drain, 2.8-5 s with 20 s when the work ends early).
    private static readonly TimeSpan ExitMargin = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData(10, 20)] // the queued work fits in the drain time: everything is run
    [InlineData(30, 2)]  // it does not: the process still exits on time, and what it could not run is answered 503
    public async Task SigtermAnswersEveryHeldRequestAndExitsWithinTheDrainTime(int requests, int drainSeconds)
    {
        var drain = TimeSpan.FromSeconds(drainSeconds);
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["Batching:DrainTimeout"] = drain.ToString("c", CultureInfo.InvariantCulture),
            ["Batching:MaxConcurrentPreparations"] = "1", // frames are prepared one by one: work stays queued for a while
            ["Batching:MaxBatchSize"] = "2",
            ["Batching:RequestTimeout"] = "00:02:00",
            ["Batching:RetryAfterSeconds"] = "4",
        });
        using var client = service.CreateClient();
        Assert.Equal(200, (await PostAsync(client)).Status); // warm: the first request pays for JIT

        var answers = Enumerable.Range(0, requests).Select(_ => PostAsync(client)).ToArray();
        await Task.WhenAny(answers);
        var heldAtSignal = answers.Count(a => !a.IsCompleted);
        var clock = Stopwatch.StartNew();
        service.Terminate();
        var results = await Task.WhenAll(answers).WaitAsync(drain + ExitMargin);
        var exited = await WaitForExitAsync(service.Process, drain + ExitMargin);
        var exitTime = clock.Elapsed;

        output.WriteLine($"{requests} requests, {heldAtSignal} held at SIGTERM; answers: "
            + string.Join(", ", results.GroupBy(r => r.Status).Select(g => $"{g.Key}×{g.Count()}"))
            + $"; exit {(exited ? service.Process.ExitCode.ToString(CultureInfo.InvariantCulture) : "none")} after {exitTime.TotalSeconds:F2} s (drain {drainSeconds} s)");
        Assert.True(heldAtSignal > 0, "every request was answered before SIGTERM: nothing was tested");
        foreach (var result in results)
        {
            Assert.True(result.Status is 200 or 503, $"{result.Status}: {result.Body}\n{service.Output}");
            if (result.Status == 503)
            {
                Assert.Equal("4", result.RetryAfter);
                Assert.Equal("shutting_down", JsonDocument.Parse(result.Body).RootElement.GetProperty("code").GetString());
            }
        }
        Assert.True(exited, $"still running {exitTime.TotalSeconds:F1} s after SIGTERM\n{service.Output}");
        Assert.Equal(0, service.Process.ExitCode);
    }

    private sealed record Answer(int Status, string Body, string? RetryAfter);

    /// <summary>A request's answer; a reset or refused connection (a dropped request) fails the test with its reason.</summary>
    private static async Task<Answer> PostAsync(HttpClient client)
    {
        using var content = new ByteArrayContent(GoldenFiles.Astronaut) { Headers = { ContentType = new("image/png") } };
        try
        {
            using var response = await client.PostAsync("/v1/pain/predict", content);
            return new((int)response.StatusCode, await response.Content.ReadAsStringAsync(),
                response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null);
        }
        catch (HttpRequestException e)
        {
            return new(0, $"dropped without an answer: {e.Message} ({e.InnerException?.Message})", null);
        }
    }

    private static async Task<bool> WaitForExitAsync(Process process, TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
