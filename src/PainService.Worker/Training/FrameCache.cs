using PainService.Vision.Imaging;
using PainService.Worker.Datasets;
using SkiaSharp;

namespace PainService.Worker.Training;

/// <summary>
/// Decodes a split's stored face crops once and keeps them in memory as RGB (172×172×3 ≈ 89 kB each), so epochs
/// only pay for augmentation. Decoding failures name the file and its list line.
/// </summary>
public sealed class FrameCache
{
    private readonly DecodedImage?[] _images;
    private readonly UnbcSplit _split;

    public FrameCache(UnbcSplit split)
    {
        _split = split;
        _images = new DecodedImage?[split.Count];
    }

    public DecodedImage this[int index] => _images[index] ??= Decode(index);

    private DecodedImage Decode(int index)
    {
        var file = _split.ImageFile(index);
        using var bitmap = SKBitmap.Decode(file)
            ?? throw new DatasetFormatException(_split.Layout.ImageList(_split.Split, _split.Fold), index + 1, $"'{file}' is not a readable image");
        // Stored crops are opaque, so premultiplication leaves the colour bytes unchanged.
        using var rgba = bitmap.Copy(SKColorType.Rgba8888);
        var pixels = rgba.GetPixelSpan();
        var rgb = new byte[rgba.Width * rgba.Height * 3];
        for (int i = 0, o = 0; o < rgb.Length; i += 4, o += 3)
        {
            rgb[o] = pixels[i];
            rgb[o + 1] = pixels[i + 1];
            rgb[o + 2] = pixels[i + 2];
        }
        return new DecodedImage(rgb, rgba.Width, rgba.Height);
    }
}
