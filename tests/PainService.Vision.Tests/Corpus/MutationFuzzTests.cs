using System.Diagnostics;
using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;
using PainService.Vision.Tests.Decoding;
using PainService.Vision.Tests.Golden;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace PainService.Vision.Tests.Corpus;

/// <summary>
/// Seeded mutations of valid JPEG/PNG/GIF/WebP/BMP files through decode → detect → input, for a bounded time
/// (VISION_FUZZ_SECONDS, default 10; VISION_FUZZ_SEED to explore other mutations). The only acceptable outcomes
/// are a result or an ImageRejectedException.
/// </summary>
public sealed class MutationFuzzTests(ITestOutputHelper output)
{
    private static readonly int[] BigValues = [0, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, -1];

    [Fact]
    public void MutatedImagesAreResultsOrRejectionsNeverOtherExceptions()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("VISION_FUZZ_SECONDS"), out var s) ? s : 10;
        var seeds = SeedFiles();
        var options = new VisionOptions();
        using var detector = new HaarDetectorPool(options);
        var pipeline = new FacePipeline(new ImageDecoder(options), detector, options);
        var seed = int.TryParse(Environment.GetEnvironmentVariable("VISION_FUZZ_SEED"), out var v) ? v : 20261203;
        var random = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var iteration = 0;
        for (; clock.Elapsed < TimeSpan.FromSeconds(seconds); iteration++)
        {
            var (name, original) = seeds[iteration % seeds.Length];
            var mutated = Mutate(original, random);
            string outcome;
            try
            {
                outcome = $"faces:{pipeline.Run(mutated).Faces.Count}";
            }
            catch (ImageRejectedException ex)
            {
                outcome = ex.Reason.ToString();
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {iteration} ({name}, seed {seed}): {ex.GetType().Name}: {ex.Message}");
                throw;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        output.WriteLine($"{iteration} mutated files in {clock.Elapsed.TotalSeconds:F1} s: "
            + string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
        Assert.True(iteration >= seeds.Length, "every seed format was fuzzed at least once");
    }

    private static (string Name, byte[] Bytes)[] SeedFiles()
    {
        // A 128×128 face crop keeps each decode + detect to a few milliseconds.
        using var face = Image.Load<Rgb24>(GoldenFiles.Astronaut);
        face.Mutate(x => x.Crop(new Rectangle(160, 50, 128, 128)));
        var encoders = new (string, IImageEncoder)[]
        {
            ("jpeg", new JpegEncoder { Quality = 80 }),
            ("png", new PngEncoder()),
            ("png-palette", new PngEncoder { ColorType = PngColorType.Palette }),
            ("gif", new GifEncoder()),
            ("webp-lossy", new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }),
            ("webp-lossless", new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
            ("bmp", new BmpEncoder()),
        };
        var seeds = encoders.Select(e => (e.Item1, TestImages.Encode(face, e.Item2))).ToList();
        // A JPEG carrying an ICC profile segment, so the profile stripper is fuzzed too.
        var jpeg = seeds[0].Item2;
        byte[] app2 = [0xFF, 0xE2, 0, 0, .. "ICC_PROFILE\0"u8, 1, 1, .. new byte[200]];
        app2[3] = (byte)(app2.Length - 2);
        seeds.Add(("jpeg-icc", [.. jpeg[..2], .. app2, .. jpeg[2..]]));
        return seeds.ToArray();
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(6))
        {
            case 0: // flip a few bits, mostly in the headers where parsers branch
                for (var i = random.Next(1, 9); i > 0; i--)
                {
                    var at = random.Next(2) == 0 ? random.Next(Math.Min(64, bytes.Length)) : random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }
                return bytes;
            case 1: // overwrite a 1, 2 or 4-byte field with an extreme value
                {
                    var width = 1 << random.Next(3);
                    var at = random.Next(Math.Max(1, Math.Min(bytes.Length, 256) - width));
                    var value = BigValues[random.Next(BigValues.Length)];
                    for (var i = 0; i < width && at + i < bytes.Length; i++)
                        bytes[at + i] = (byte)(value >> (8 * i));
                    return bytes;
                }
            case 2: // cut anywhere
                return bytes[..random.Next(bytes.Length)];
            case 3: // insert random bytes
                {
                    var at = random.Next(bytes.Length);
                    var noise = new byte[random.Next(1, 64)];
                    random.NextBytes(noise);
                    return [.. bytes[..at], .. noise, .. bytes[at..]];
                }
            case 4: // duplicate a slice (repeated chunks/segments)
                {
                    var from = random.Next(bytes.Length);
                    var length = random.Next(1, Math.Min(512, bytes.Length - from) + 1);
                    var at = random.Next(bytes.Length);
                    return [.. bytes[..at], .. bytes.AsSpan(from, length), .. bytes[at..]];
                }
            default: // random garbage over a region
                {
                    var at = random.Next(bytes.Length);
                    random.NextBytes(bytes.AsSpan(at, Math.Min(bytes.Length - at, random.Next(1, 256))));
                    return bytes;
                }
        }
    }
}
