using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;

namespace PainService.Vision.Imaging;

/// <summary>
/// The one ImageSharp configuration the service decodes with. ImageSharp 2.1.13 (the last openly licensed line)
/// has open advisories in its TIFF and ICC code paths, so only the five formats we accept are registered (no TIFF,
/// TGA, PBM), and the allocator is capped so a hostile header cannot make it reserve gigabytes.
/// </summary>
internal static class ImageSharpSetup
{
    public static Configuration Create(VisionOptions options)
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new GifConfigurationModule(),
            new BmpConfigurationModule(),
            new WebpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                MaximumPoolSizeMegabytes = options.DecoderPoolMegabytes,
                AllocationLimitMegabytes = options.DecoderAllocationLimitMegabytes,
            }),
            // Callers already decode frames concurrently (one per request); nested parallelism only adds contention.
            MaxDegreeOfParallelism = 1,
        };

        // An animated GIF is a burst of frames; the service scores one, so the others are never decoded.
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance,
            new GifDecoder { DecodingMode = FrameDecodingMode.First, MaxFrames = 1 });
        return configuration;
    }
}
