using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using PainService.Api.Batching;
using PainService.Api.Tests.Support;
using PainService.Testing;
using TorchSharp;
using Xunit.Abstractions;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// Thousands of real requests (real decoder, detector and model): the process's memory stays flat after warm-up
/// and no tensor stays alive on the inference thread. Opt-in (PAINSERVICE_SOAK=N), not part of CI's default run.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    [SoakFact]
    public async Task ThousandsOfRequestsLeaveMemoryFlatAndNoLiveTensors()
    {
        var total = SoakFactAttribute.Requests;
        await using var app = new PainApiFactory { RealVision = true, RealModel = true, Settings = { ["Model:Device"] = "cpu" } };
        var client = await app.StartAsync(TimeSpan.FromMinutes(3));
        Assert.True(app.Models.IsReady, app.Models.Reason);
        var thread = app.Services.GetRequiredService<InferenceThread>();
        var image = File.ReadAllBytes(RepoPaths.Golden("astronaut.png"));
        var liveBefore = await thread.RunAsync(() => DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        async Task RunAsync(int count) => await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
            {
                using var content = new ByteArrayContent(image) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } };
                using var response = await client.PostAsync("/v1/pain/predict", content, ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            });

        var warmUp = Math.Max(50, total / 10);
        await RunAsync(warmUp);
        var rssAfterWarmUp = Rss();
        var watch = Stopwatch.StartNew();
        // Ten equal rounds, RSS after each: a leak shows as a steady climb, not just a difference of two points.
        var rounds = new List<long>();
        var perRound = (total - warmUp) / 10;
        for (var round = 0; round < 10; round++)
        {
            await RunAsync(round < 9 ? perRound : total - warmUp - 9 * perRound);
            rounds.Add(Rss());
            output.WriteLine($"after {warmUp + (round + 1) * perRound} requests ({watch.Elapsed.TotalSeconds:F0} s): RSS {rounds[^1] / 1e6:F0} MB");
        }
        var rssAtEnd = rounds[^1];
        var liveAfter = await thread.RunAsync(() => DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        output.WriteLine($"{total} requests; {total - warmUp} after warm-up in {watch.Elapsed.TotalSeconds:F0} s; " +
            $"RSS {rssAfterWarmUp / 1e6:F0} MB after warm-up, {rssAtEnd / 1e6:F0} MB at the end; live tensors {liveBefore} → {liveAfter}");
        Assert.Equal(liveBefore, liveAfter);
        Assert.True(rssAtEnd - rssAfterWarmUp < 150_000_000, "RSS grew by more than 150 MB after warm-up");
        Assert.True(rounds[^1] - rounds[4] < 50_000_000, "RSS still grew by more than 50 MB over the second half of the run");
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
