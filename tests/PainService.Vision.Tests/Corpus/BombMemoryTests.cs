using System.Diagnostics;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Memory;
using PainService.Vision.Pipeline;
using PainService.Vision.Tests.Decoding;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace PainService.Vision.Tests.Corpus;

[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>
/// Issue 3: bombs in parallel with normal traffic raise RSS by less than 300 MB and the normal frames succeed.
/// Runs alone (no parallel tests) so the process's RSS is this test's, and as many frames at once as the service
/// prepares (BatchingOptions.ConcurrentPreparations defaults to the core count). Measured here: +171 MB with the
/// service's malloc settings (<see cref="NativeMemoryTuning"/>), +370 MB with glibc's defaults.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class BombMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EightBombsBesideNormalTrafficStayUnder300MegabytesAndNormalFramesSucceed()
    {
        // Header bombs (refused before decoding) and a real compression bomb under the pixel limit: 5000×5000
        // black, 25 MP (75 MB of RGB) from a few hundred kB of PNG, which must be decoded to be judged.
        using var black = new SixLabors.ImageSharp.Image<Rgb24>(5000, 5000);
        var compressionBomb = TestImages.Encode(black, new PngEncoder { CompressionLevel = PngCompressionLevel.BestCompression });
        byte[][] bombs =
        [
            TestImages.PngHeader(100_000, 100_000), BadInputCorpus.JpegBomb(65500, 65500), BadInputCorpus.GifBomb(),
            BadInputCorpus.WebpBomb(), compressionBomb, compressionBomb, compressionBomb, compressionBomb,
        ];
        Assert.True(NativeMemoryTuning.Apply(), "glibc mallopt is available on Debian");
        var options = new VisionOptions();
        using var detector = new HaarDetectorPool(options);
        var pipeline = new FacePipeline(new ImageDecoder(options), detector, options);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(5);
            }
        });

        var outcomes = new string[bombs.Length + 8];
        Parallel.For(0, outcomes.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                outcomes[i] = i < bombs.Length
                    ? $"bomb faces {pipeline.Run(bombs[i]).Faces.Count}"
                    : pipeline.Run(GoldenFiles.Astronaut).Faces[0].Box.ToString();
            }
            catch (ImageRejectedException ex)
            {
                outcomes[i] = ex.Reason.ToString();
            }
        });
        sampling.Cancel();
        await sampler;

        var riseMb = (peak - baseline) / (1024.0 * 1024);
        output.WriteLine($"RSS {baseline >> 20} MB → peak {peak >> 20} MB (+{riseMb:F0} MB); {string.Join(", ", outcomes)}");
        Assert.All(outcomes[..4], o => Assert.Equal(nameof(ImageRejection.DimensionsTooLarge), o));
        Assert.All(outcomes[4..bombs.Length], o => Assert.Equal(nameof(ImageRejection.NoFace), o));
        Assert.All(outcomes[bombs.Length..], o => Assert.Equal(new FaceBox(177, 66, 95, 95).ToString(), o));
        Assert.True(riseMb < 300, $"RSS rose by {riseMb:F0} MB");
    }
}
