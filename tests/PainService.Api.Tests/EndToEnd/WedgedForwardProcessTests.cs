using System.Net;
using System.Text.Json;
using PainService.Api.Batching;
using PainService.Api.Tests.Support;
using PainService.Vision.Tests.Golden;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// The wedged-forward path on the real process: a forward pass over <c>Batching:ForwardTimeout</c> answers 503
/// inference_failed and the process stops itself with exit code 70, so a supervisor that restarts only failed
/// processes (systemd <c>Restart=on-failure</c>) starts a fresh one.
/// </summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class WedgedForwardProcessTests
{
    [Fact]
    public async Task ForwardOverItsTimeoutStopsTheProcessWithExitCode70()
    {
        // 10 ms (Polly's smallest timeout) is far below a real forward of the embedded model (tens of ms at least),
        // so the first prediction's forward overruns exactly as a wedged one would. The warm-up is not timed.
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["Batching:ForwardTimeout"] = "00:00:00.010",
            ["Batching:RetryAfterSeconds"] = "3",
        });
        using var client = service.CreateClient();

        using var content = new ByteArrayContent(GoldenFiles.Astronaut) { Headers = { ContentType = new("image/png") } };
        using var response = await client.PostAsync("/v1/pain/predict", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {body}");
        Assert.Equal("inference_failed", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.Equal("3", response.Headers.RetryAfter?.ToString());
        await service.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(service.Process.ExitCode == ProcessExit.WedgedForward, $"exit code {service.Process.ExitCode}\n{service.Output}");
        Assert.Equal(70, ProcessExit.WedgedForward); // the documented value (README, docs/deploy.md)
    }
}
