using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PainService.Vision.Imaging;

/// <summary>
/// A decoded upright frame left in ImageSharp's memory (unmanaged, freed on Dispose rather than whenever the GC
/// runs) with a managed RGB copy for detection that is scaled down when the frame is larger than the detection
/// cap. Only face crops are ever copied out at full resolution, so a 25 MP photo costs its decode buffer and a
/// ~3 MB copy instead of a second 75 MB array left on the large-object heap. Holds its share of the decode
/// budget until disposed. Not thread-safe.
/// </summary>
internal sealed class DecodedFrame : IDisposable
{
    private readonly Image<Rgb24> _image;
    private readonly IDisposable _lease;

    public DecodedFrame(Image<Rgb24> image, IDisposable lease, int maxDetectionSide)
    {
        _image = image;
        _lease = lease;
        var longer = Math.Max(image.Width, image.Height);
        if (maxDetectionSide > 0 && longer > maxDetectionSide)
        {
            Scale = (double)longer / maxDetectionSide;
            var size = new Size(Math.Max(1, (int)Math.Round(image.Width / Scale)), Math.Max(1, (int)Math.Round(image.Height / Scale)));
            using var small = image.Clone(x => x.Resize(size.Width, size.Height, KnownResamplers.Box));
            ForDetection = Copy(small, new Rectangle(0, 0, small.Width, small.Height));
        }
        else
        {
            ForDetection = Copy(image, new Rectangle(0, 0, image.Width, image.Height));
        }
    }

    public int Width => _image.Width;

    public int Height => _image.Height;

    /// <summary>The frame as detection sees it: the full frame, or a copy scaled down by <see cref="Scale"/>.</summary>
    public DecodedImage ForDetection { get; }

    /// <summary>Full-frame pixels per detection pixel (1 when not scaled).</summary>
    public double Scale { get; } = 1;

    /// <summary>A box found on <see cref="ForDetection"/>, in full-frame pixels.</summary>
    public FaceBox ToFullFrame(FaceBox box) => Scale == 1 ? box : BoxScaling.Scale(box, Scale, Width, Height);

    /// <summary>The box (clipped to the frame) at full resolution.</summary>
    public DecodedImage Crop(FaceBox box)
    {
        var x0 = Math.Clamp(box.X, 0, Width - 1);
        var y0 = Math.Clamp(box.Y, 0, Height - 1);
        var x1 = Math.Clamp(box.X + box.Width, x0 + 1, Width);
        var y1 = Math.Clamp(box.Y + box.Height, y0 + 1, Height);
        return Copy(_image, Rectangle.FromLTRB(x0, y0, x1, y1));
    }

    private static DecodedImage Copy(Image<Rgb24> image, Rectangle region)
    {
        var rgb = new byte[checked(region.Width * region.Height * 3)];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < region.Height; y++)
                MemoryMarshal.AsBytes(rows.GetRowSpan(region.Y + y).Slice(region.X, region.Width))
                    .CopyTo(rgb.AsSpan(y * region.Width * 3));
        });
        return new DecodedImage(rgb, region.Width, region.Height);
    }

    public void Dispose()
    {
        _image.Dispose();
        _lease.Dispose();
    }
}
