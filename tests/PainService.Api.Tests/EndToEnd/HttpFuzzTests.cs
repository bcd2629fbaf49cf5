using System.Diagnostics;
using System.Net;
using PainService.Api.Tests.Support;
using PainService.Testing;
using Xunit.Abstractions;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// Mutated photos through the real decoder and detector over HTTP, several at a time, for a bounded time: every
/// answer is a 200 or a 4xx problem with a code — never a 5xx, a hang or a crash — and the service stays live. The
/// multipart framing around the images is fuzzed the same way.
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

    /// <summary>
    /// The multipart framing itself mutated (truncated anywhere, boundaries and part headers corrupted or removed,
    /// declared boundary wrong or missing), on both upload endpoints, for a bounded time: a 200 or a 4xx problem with
    /// a code, never a 5xx (nor a 5xx frame inside a predict-batch answer).
    /// </summary>
    [Fact]
    public async Task MutatedMultipartFramingNeverGives5xx()
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();
        var budget = Stopwatch.StartNew();
        var count = 0;
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 100_000), new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (i, ct) =>
        {
            if (budget.Elapsed > TimeSpan.FromSeconds(6))
                return;
            var random = new Random(5000 + i); // reproducible: the failing index names its seed
            var batch = i % 2 == 1;
            var path = batch ? "/v1/pain/predict-batch" : "/v1/pain/predict";
            var (kind, contentType, bytes) = MutateMultipart(batch, random);
            using var content = new ByteArrayContent(bytes);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await client.PostAsync(path, content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(Allowed.Contains(response.StatusCode), $"seed {5000 + i} {path} ({kind}): {(int)response.StatusCode} {body}\n"
                + string.Join("\n", app.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("\"code\"", body);
            }
            else if (batch)
            {
                foreach (var frame in System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("frames").EnumerateArray())
                    Assert.True(frame.GetProperty("status").GetInt32() < 500, $"seed {5000 + i} ({kind}): {body}");
            }
            statuses.AddOrUpdate($"{kind}:{(int)response.StatusCode}", 1, (_, n) => n + 1);
            Interlocked.Increment(ref count);
        });

        output.WriteLine($"{count} mutated multipart bodies: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(count >= 50, $"only {count} bodies in the time budget");
        // Every kind of mutation was exercised, and the truncations did reach the multipart reader's end-of-stream path.
        Assert.Equal(MultipartMutations, statuses.Keys.Select(k => k[..k.IndexOf(':', StringComparison.Ordinal)]).Distinct().Order().ToArray());
        Assert.Contains(statuses.Keys, k => k == "truncate:400");
        Assert.DoesNotContain(app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private static readonly string[] MultipartMutations =
        ["boundary-corrupt", "content-type", "flip-framing", "header-corrupt", "headers-missing", "truncate"];

    private static (string Kind, string ContentType, byte[] Bytes) MutateMultipart(bool batch, Random random)
    {
        const string boundary = "fuzz-boundary-7d3a";
        var body = new System.Text.StringBuilder();
        string[] fields = batch ? ["f0", "f1"] : ["image"];
        foreach (var field in fields)
            body.Append($"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{field}.jpg\"\r\n"
                + $"Content-Type: image/jpeg\r\n\r\nFRAME-{random.Next(1, 9)}\r\n"); // any bytes: the fake preparer finds a face
        body.Append($"--{boundary}--\r\n");
        var text = body.ToString();
        var type = $"multipart/form-data; boundary={boundary}";
        var kind = MultipartMutations[random.Next(MultipartMutations.Length)];
        switch (kind)
        {
            case "truncate": // anywhere, including inside a boundary line, a header or right after the part headers
                return (kind, type, System.Text.Encoding.ASCII.GetBytes(text[..random.Next(1, text.Length - 2)]));
            case "boundary-corrupt": // one or every delimiter line changed
                var corrupted = "--" + boundary[..^1] + (char)random.Next('a', 'z' + 1);
                text = random.Next(2) == 0 ? text.Replace("--" + boundary, corrupted, StringComparison.Ordinal)
                    : ReplaceNth(text, "--" + boundary, corrupted, random.Next(fields.Length + 1));
                break;
            case "headers-missing": // a part without Content-Disposition, or without any header
                text = random.Next(2) == 0
                    ? System.Text.RegularExpressions.Regex.Replace(text, "Content-Disposition: [^\r]*\r\n", "")
                    : System.Text.RegularExpressions.Regex.Replace(text, $"--{boundary}\r\n[^\r]*\r\n[^\r]*\r\n", $"--{boundary}\r\n");
                break;
            case "header-corrupt": // broken header syntax: no colon, no CRLF, a bare CR, a huge value
                text = random.Next(4) switch
                {
                    0 => text.Replace("Content-Disposition:", "Content-Disposition", StringComparison.Ordinal),
                    1 => text.Replace("\r\nContent-Type: image/jpeg", "Content-Type: image/jpeg", StringComparison.Ordinal),
                    2 => text.Replace("form-data;", "form-data;\r", StringComparison.Ordinal),
                    _ => text.Replace("filename=", $"x=\"{new string('a', 20_000)}\"; filename=", StringComparison.Ordinal),
                };
                break;
            case "content-type": // the declared boundary is wrong, missing, empty or overlong
                type = random.Next(4) switch
                {
                    0 => "multipart/form-data; boundary=other",
                    1 => "multipart/form-data",
                    2 => "multipart/form-data; boundary=",
                    _ => $"multipart/form-data; boundary={new string('b', 200)}",
                };
                break;
            default: // "flip-framing": bytes flipped in the framing (boundary lines and part headers), not in the image
                var bytes = System.Text.Encoding.ASCII.GetBytes(text);
                var framing = Enumerable.Range(0, bytes.Length).Where(k => !InsideImage(text, k)).ToArray();
                for (var k = random.Next(1, 6); k > 0; k--)
                    bytes[framing[random.Next(framing.Length)]] ^= (byte)random.Next(1, 256);
                return (kind, type, bytes);
        }
        return (kind, type, System.Text.Encoding.ASCII.GetBytes(text));
    }

    private static bool InsideImage(string text, int index)
    {
        var start = text.LastIndexOf("FRAME-", index, StringComparison.Ordinal);
        return start >= 0 && index < start + 7;
    }

    private static string ReplaceNth(string text, string value, string replacement, int n)
    {
        var at = -1;
        for (var k = 0; k <= n; k++)
            at = text.IndexOf(value, at + 1, StringComparison.Ordinal);
        return at < 0 ? text : text[..at] + replacement + text[(at + value.Length)..];
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
