using System.Diagnostics;
using System.Net;
using PainService.Api.Tests.Support;
using PainService.Testing;
using Xunit.Abstractions;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// Mutated photos through the real decoder and detector over HTTP, several at a time, for a bounded time: every
/// answer is a 200 or a 4xx problem with a code — never a 5xx, a hang or a crash — and the service stays live.
/// </summary>
public sealed class HttpFuzzTests(ITestOutputHelper output)
{
    private static readonly HashSet<HttpStatusCode> Allowed =
        [HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType, (HttpStatusCode)422];

    [Fact]
    public async Task MutatedImagesNeverGive5xx()
    {
        await using var app = new PainApiFactory { RealVision = true, Predictor = new FakePredictor(inputSize: 172) };
        var client = await app.StartAsync();
        byte[][] seeds = [File.ReadAllBytes(RepoPaths.Golden("astronaut.png")), File.ReadAllBytes(RepoPaths.Golden("chelsea.png"))];
        var budget = Stopwatch.StartNew();
        var count = 0;
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (i, ct) =>
        {
            if (budget.Elapsed > TimeSpan.FromSeconds(8))
                return;
            var random = new Random(1000 + i); // reproducible: the failing index names its seed
            var (kind, bytes) = Mutate(seeds[i % 2], random);
            using var content = new ByteArrayContent(bytes) { Headers = { ContentType = new("image/png") } };
            using var response = await client.PostAsync("/v1/pain/predict", content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(Allowed.Contains(response.StatusCode), $"seed {1000 + i} ({kind}): {(int)response.StatusCode} {body}\n"
                + string.Join("\n", app.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))));
            if (response.StatusCode != HttpStatusCode.OK)
                Assert.Contains("\"code\"", body);
            statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            Interlocked.Increment(ref count);
        });

        output.WriteLine($"{count} mutated frames: " + string.Join(", ", statuses.Select(s => $"{(int)s.Key}×{s.Value}")));
        Assert.True(count >= 10, $"only {count} frames in the time budget");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private static (string Kind, byte[] Bytes) Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(6))
        {
            case 0: // flip bytes anywhere (headers included)
                for (var k = random.Next(1, 20); k > 0; k--)
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                return ("flip", bytes);
            case 1: // truncate
                return ("truncate", bytes[..random.Next(1, bytes.Length)]);
            case 2: // corrupt the header region (IHDR dimensions, chunk lengths)
                for (var k = random.Next(1, 6); k > 0; k--)
                    bytes[random.Next(8, Math.Min(64, bytes.Length))] = (byte)random.Next(256);
                return ("header", bytes);
            case 3: // zero a block
                var start = random.Next(bytes.Length);
                Array.Clear(bytes, start, Math.Min(bytes.Length - start, random.Next(1, 4096)));
                return ("zero-block", bytes);
            case 4: // random garbage
                var garbage = new byte[random.Next(1, 2048)];
                random.NextBytes(garbage);
                return ("garbage", garbage);
            default: // valid signature, garbage after it
                var tail = new byte[random.Next(16, 4096)];
                random.NextBytes(tail);
                return ("signature+garbage", [.. bytes[..8], .. tail]);
        }
    }
}
