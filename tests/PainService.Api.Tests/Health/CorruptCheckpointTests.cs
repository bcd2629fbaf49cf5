using System.Net;
using System.Text.Json;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Health;

/// <summary>
/// Issue 3, faults: a corrupt checkpoint on disk, read by the real loader (not a fake that throws), keeps the service
/// not ready, with the reason in /health/ready and an error in the log, and predictions answer 503, never 500.
/// </summary>
public sealed class CorruptCheckpointTests
{
    public static TheoryData<string, byte[]> Files => new()
    {
        { "empty", [] },
        { "text", "this is not a checkpoint\n"u8.ToArray() },
        { "zip-like garbage", [0x50, 0x4B, 0x03, 0x04, .. Enumerable.Range(0, 4000).Select(i => (byte)(i * 37))] },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task CorruptCheckpointKeepsTheServiceNotReadyWithReasonAndLog(string kind, byte[] content)
    {
        var directory = Directory.CreateTempSubdirectory("painservice-corrupt-");
        var file = Path.Combine(directory.FullName, $"corrupt-{kind.Replace(' ', '-')}.ckpt");
        await File.WriteAllBytesAsync(file, content);
        try
        {
            await using var app = new PainApiFactory { RealModel = true, Settings = { ["Model:CheckpointPath"] = file, ["Model:Device"] = "cpu" } };
            var client = await app.StartAsync();

            var ready = await client.GetAsync("/health/ready");
            var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
            var reason = body.GetProperty("checks").GetProperty("model").GetProperty("reason").GetString()!;
            var predict = await client.PostAsync("/v1/pain/predict", new ByteArrayContent("VALUE:1"u8.ToArray())
                { Headers = { ContentType = new("image/png") } });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
            Assert.Contains($"Model checkpoint '{Path.GetFileName(file)}' ({content.Length} bytes) is not a readable PainService checkpoint", reason);
            await Problems.AssertProblemAsync(predict, HttpStatusCode.ServiceUnavailable, "model_not_ready");
            Assert.Contains(app.Logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal) && line.Contains(Path.GetFileName(file)));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
