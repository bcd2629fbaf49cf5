using System.Net;
using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Vision.Tests.Corpus;
using PainService.Vision.Tests.Decoding;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// Issue 3: 8 bombs in parallel with normal traffic raise RSS by less than 300 MB and the normal requests succeed —
/// measured on the service process itself (real decoder, detector and embedded model, over loopback HTTP).
/// </summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class BombMemoryOverHttpTests(ITestOutputHelper output)
{
    private const long Limit = 300L << 20;

    [Fact]
    public async Task EightBombsBesideNormalTrafficRaiseRssByLessThan300MegabytesAndNormalRequestsSucceed()
    {
        // Header bombs are refused before any pixel is allocated; the 5000×5000 black PNG is a real compression
        // bomb (≈ 100 kB → 75 MB of RGB) under the pixel limit, so it must be decoded to be judged.
        using var black = new Image<Rgb24>(5000, 5000);
        var compressionBomb = TestImages.Encode(black, new PngEncoder { CompressionLevel = PngCompressionLevel.BestCompression });
        (string Name, byte[] Bytes, int Status, string Code)[] bombs =
        [
            ("png declaring 100000x100000", TestImages.PngHeader(100_000, 100_000), 413, "dimensions_too_large"),
            ("jpeg declaring 65500x65500", BadInputCorpus.JpegBomb(65500, 65500), 413, "dimensions_too_large"),
            ("gif declaring 65535x65535", BadInputCorpus.GifBomb(), 413, "dimensions_too_large"),
            ("webp declaring 16384x16384", BadInputCorpus.WebpBomb(), 413, "dimensions_too_large"),
            .. Enumerable.Range(1, 4).Select(i => ($"black 5000x5000 png #{i}", compressionBomb, 422, "no_face")),
        ];
        // A loaded machine may take long over four 25 MP decodes; the deadline is not what is measured here.
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string> { ["Batching:RequestTimeout"] = "00:02:00" });
        using var client = service.CreateClient();

        // Warm-up with normal traffic (alone, then concurrent): JIT, pools and first batches belong to the baseline.
        for (var i = 0; i < 3; i++)
            AssertFace(await PostAsync(client, GoldenFiles.Astronaut));
        foreach (var answer in await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(client, GoldenFiles.Astronaut))))
            AssertFace(answer);

        var beforeGc = service.StatusBytes("VmRSS");
        await service.CollectGarbageAsync();
        var baseline = service.StatusBytes("VmRSS");
        var peakTracked = service.ResetPeakResident(); // the kernel's own high-water mark, from here on
        var sampled = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                sampled = Math.Max(sampled, service.StatusBytes("VmRSS"));
                await Task.Delay(2);
            }
        });

        var bombAnswers = bombs.Select(b => PostAsync(client, b.Bytes)).ToArray();
        var normalAnswers = Enumerable.Range(0, 8).Select(_ => PostAsync(client, GoldenFiles.Astronaut)).ToArray();
        await Task.WhenAll([.. bombAnswers, .. normalAnswers]);
        await stop.CancelAsync();
        await sampler;
        var peak = peakTracked ? Math.Max(sampled, service.StatusBytes("VmHWM")) : sampled;

        var rise = peak - baseline;
        output.WriteLine($"RSS after warm-up {beforeGc >> 20} MB, after forced GCs (baseline) {baseline >> 20} MB, peak {peak >> 20} MB (+{rise >> 20} MB; sampled +{(sampled - baseline) >> 20} MB, "
            + $"kernel high-water mark {(peakTracked ? "used" : "unavailable")}), after {service.StatusBytes("VmRSS") >> 20} MB");
        for (var i = 0; i < bombs.Length; i++)
        {
            var (status, body) = await bombAnswers[i];
            Assert.True(status == bombs[i].Status, $"{bombs[i].Name}: {status} {body}");
            Assert.Equal(bombs[i].Code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        }
        foreach (var answer in normalAnswers)
            AssertFace(await answer);
        Assert.True(rise < Limit, $"RSS rose by {rise >> 20} MB (limit {Limit >> 20} MB)");
    }

    private static async Task<(int Status, string Body)> PostAsync(HttpClient client, byte[] bytes)
    {
        using var content = new ByteArrayContent(bytes) { Headers = { ContentType = new("image/png") } };
        using var response = await client.PostAsync("/v1/pain/predict", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static void AssertFace((int Status, string Body) answer)
    {
        Assert.True(answer.Status == (int)HttpStatusCode.OK, $"{answer.Status} {answer.Body}");
        var face = JsonDocument.Parse(answer.Body).RootElement.GetProperty("face");
        Assert.Equal([177, 66, 95, 95], new[] { "x", "y", "width", "height" }.Select(k => face.GetProperty(k).GetInt32()));
    }
}
