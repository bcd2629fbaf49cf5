using System.Diagnostics;
using System.Net;
using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Vision.Tests.Golden;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// Issue 3, faults: a native library that fails to load (OpenCV's for the face detector, TorchSharp's for the model)
/// is caught at start-up like a missing cascade: the process stays up and live, /health/ready is false and says why,
/// and predictions answer 503 model_not_ready, never 500. Proven on the built API as its own process, started from a
/// copy of its output without that library.
/// </summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class NativeLibraryFailureTests
{
    [Theory]
    [InlineData("libOpenCvSharpExtern.so", "face detector failed to load")]
    [InlineData("libLibTorchSharp.so", "model failed to load")]
    public async Task MissingNativeLibraryKeepsTheServiceLiveButNotReadyWithTheReason(string library, string reason)
    {
        await using var service = await ServiceProcess.StartAsync(withoutFile: library);
        using var client = service.CreateClient();

        var (status, body) = await ReadyAfterStartUpAsync(client);
        var live = await client.GetAsync("/health/live");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(GoldenFiles.Astronaut), "image", "a.png" } };
        var predict = await client.PostAsync("/v1/pain/predict", form);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var text = body.GetProperty("checks").GetProperty("model").GetProperty("reason").GetString()!;
        Assert.StartsWith(reason, text);
        Assert.Contains(Path.GetFileNameWithoutExtension(library).Replace("lib", "", StringComparison.Ordinal), text);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        await Problems.AssertProblemAsync(predict, HttpStatusCode.ServiceUnavailable, "model_not_ready");
        Assert.False(service.Process.HasExited);
    }

    /// <summary>/health/ready once start-up has settled (no longer "loading").</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAfterStartUpAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var reason = body.GetProperty("checks").GetProperty("model").GetProperty("reason").GetString() ?? "";
            if (reason is not ("model is loading" or "model loaded; warming up") || clock.Elapsed > TimeSpan.FromMinutes(2))
                return (response.StatusCode, body);
            await Task.Delay(200);
        }
    }
}
