using PainService.Vision.Imaging.Integrity;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PainService.Vision.Imaging;

/// <summary>
/// Turns uploaded bytes into an upright 8-bit RGB image, or refuses them with an <see cref="ImageRejectedException"/>
/// naming the reason. Order matters for safety: size, magic bytes, declared dimensions (from the header alone),
/// and only then the decode. Any pixel format (grey, palette, 16-bit, CMYK JPEG) is converted to RGB; alpha is
/// dropped rather than composited, which is what PIL's convert("RGB") did to the training crops. Thread-safe.
/// </summary>
public sealed class ImageDecoder(VisionOptions options)
{
    private readonly Configuration _configuration = ImageSharpSetup.Create(options);
    private readonly DecodeMemoryGate _gate = new(Math.Max(1, (long)(options.DecodeBudgetMegapixels * 1_000_000)));

    internal long PeakConcurrentPixels => _gate.PeakPixels;

    /// <summary>Decodes, waiting first if other decodes hold the pixel budget (cancellable while it waits).</summary>
    public DecodedImage Decode(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        using var frame = DecodeFrame(data, maxDetectionSide: 0, cancellationToken);
        return frame.ForDetection;
    }

    /// <summary>
    /// Decodes into a frame that keeps the pixels (and their share of the decode budget) until disposed, so the
    /// pipeline can detect on a scaled copy and crop faces at full resolution without a full-size managed copy.
    /// </summary>
    internal DecodedFrame DecodeFrame(ReadOnlyMemory<byte> data, int maxDetectionSide, CancellationToken cancellationToken) =>
        DecodeFrameAsync(data, maxDetectionSide, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <summary>As <see cref="DecodeFrame"/>, waiting for the pixel budget without holding a thread.</summary>
    internal async ValueTask<DecodedFrame> DecodeFrameAsync(ReadOnlyMemory<byte> data, int maxDetectionSide,
        CancellationToken cancellationToken)
    {
        if (data.Length == 0)
            throw new ImageRejectedException(ImageRejection.Empty, "The image is empty (0 bytes).");
        if (data.Length > options.MaxUploadBytes)
            throw new ImageRejectedException(ImageRejection.TooLarge,
                $"The image is {data.Length} bytes; the limit is {options.MaxUploadBytes} bytes.");

        var format = ImageFormatSniffer.Sniff(data.Span);
        var name = format.ToString().ToUpperInvariant();
        if (!ImageFormatSniffer.IsSupported(format))
            throw new ImageRejectedException(ImageRejection.UnsupportedFormat, format == SniffedFormat.Unknown
                ? "The data is not a JPEG, PNG, WebP, BMP or GIF image."
                : $"{name} images are not supported; send JPEG, PNG, WebP, BMP or GIF.");

        try
        {
            var pixels = CheckDeclaredSize(data, name);
            if (!ContainerIntegrity.IsComplete(format, data.Span))
                throw new ImageRejectedException(ImageRejection.Corrupt,
                    $"The {name} image is truncated or structurally corrupt.");
            data = IccProfileStripper.Strip(format, data);
            var lease = await _gate.EnterAsync(pixels, cancellationToken).ConfigureAwait(false);
            Image<Rgb24>? image = null;
            try
            {
                using (var stream = AsStream(data))
                    image = Image.Load<Rgb24>(_configuration, stream);
                image.Mutate(x => x.AutoOrient());
                return new DecodedFrame(image, lease, maxDetectionSide);
            }
            catch
            {
                image?.Dispose();
                lease.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is ImageRejectedException or OperationCanceledException)
        {
            throw;
        }
        catch (InvalidMemoryOperationException)
        {
            throw new ImageRejectedException(ImageRejection.DimensionsTooLarge,
                "Decoding the image needs more memory than allowed.");
        }
        catch (NotSupportedException ex)
        {
            throw new ImageRejectedException(ImageRejection.UnsupportedFormat,
                $"This {name} variant is not supported ({ex.Message}).");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Hostile or damaged bytes surface from a third-party decoder as many exception types (its own
            // ImageFormatException family, but also index/argument errors on fuzzed input); all mean "bad data".
            throw new ImageRejectedException(ImageRejection.Corrupt,
                $"The {name} image is corrupt ({ex.GetType().Name}).");
        }
    }

    /// <summary>Refuses bombs and tiny images from the header alone; returns the declared pixel count.</summary>
    private long CheckDeclaredSize(ReadOnlyMemory<byte> data, string format)
    {
        if (format == "BMP" && BmpStructure.TryReadSize(data.Span, out var bmpWidth, out var bmpHeight)
            && bmpWidth * bmpHeight > options.MaxPixels)
            throw new ImageRejectedException(ImageRejection.DimensionsTooLarge,
                $"The image declares {bmpWidth}×{bmpHeight} pixels; the limit is {options.MaxPixels}.");
        using var stream = AsStream(data);
        var info = Image.Identify(_configuration, stream, out _)
            ?? throw new ImageRejectedException(ImageRejection.Corrupt, $"The {format} header is invalid.");
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageRejectedException(ImageRejection.Corrupt,
                $"The {format} header declares {info.Width}×{info.Height} pixels.");
        if ((long)info.Width * info.Height > options.MaxPixels)
            throw new ImageRejectedException(ImageRejection.DimensionsTooLarge,
                $"The image declares {info.Width}×{info.Height} pixels; the limit is {options.MaxPixels}.");
        if (Math.Min(info.Width, info.Height) < options.MinImageSide)
            throw new ImageRejectedException(ImageRejection.TooSmall,
                $"The image is {info.Width}×{info.Height}; a face needs at least {options.MinImageSide} px per side.");
        return (long)info.Width * info.Height;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
}
