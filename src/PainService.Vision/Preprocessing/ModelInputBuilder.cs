using PainService.Vision.Imaging;

namespace PainService.Vision.Preprocessing;

/// <summary>
/// Builds the model's input from a face: crop the box, resize it to the stored-crop size (172×172, as the
/// training crops were stored, spec §3.1), then the test transform of spec §3.3: Resize(256) bilinear,
/// CenterCrop(172), /255, ImageNet normalisation. Output is float32 CHW, 3×S×S. A model of another input size S
/// (the worker's <c>ci</c> preset: 96) gets the same transform with the 256/172 ratio kept, Resize(round(S·256/172)),
/// CenterCrop(S), applied to the same 172×172 stored crop: this is the one test transform, shared with the
/// worker's evaluation (FrameTransform.Test), so the service feeds a model exactly what it was evaluated on.
/// Every resize is PIL's bilinear (<see cref="PilBilinearResampler"/>); the arithmetic of ToTensor/Normalize is
/// float32 as in torch.
/// </summary>
public static class ModelInputBuilder
{
    /// <summary>Side of the stored face crop (spec §3.1), and the paper model's input size.</summary>
    public const int CropSize = 172;
    public const int ResizeTo = 256;

    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// The test transform's Resize side for a model input of <paramref name="inputSize"/>: 256 at 172, else the same
    /// ratio rounded half-to-even (96 → 143, 64 → 95).
    /// </summary>
    public static int ResizeFor(int inputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        return (int)Math.Round(inputSize * (double)ResizeTo / CropSize);
    }

    /// <summary>Face box (clipped to the image) → 172×172 stored crop → test transform at <paramref name="inputSize"/>.</summary>
    public static float[] FromFace(DecodedImage image, FaceBox box, int inputSize = CropSize) => FromCrop(Crop(image, box), inputSize);

    /// <summary>An already cropped face → 172×172 stored crop → test transform at <paramref name="inputSize"/>.</summary>
    public static float[] FromCrop(DecodedImage face, int inputSize = CropSize)
    {
        var stored = PilBilinearResampler.Resize(face.Rgb, face.Width, face.Height, CropSize, CropSize);
        return TestTransform(new DecodedImage(stored, CropSize, CropSize), inputSize);
    }

    /// <summary>
    /// torchvision's Resize(<see cref="ResizeFor"/>) (shorter side, the longer one truncated proportionally),
    /// CenterCrop(<paramref name="inputSize"/>) (offsets rounded half-to-even like Python's round), ToTensor, Normalize:
    /// float32 CHW, 3×S×S. At the default 172 this is spec §3.3's Resize(256), CenterCrop(172).
    /// </summary>
    public static float[] TestTransform(DecodedImage image, int inputSize = CropSize)
    {
        var resized = ResizeShorterSide(image, ResizeFor(inputSize));
        var (left, top) = CenterCropOffsets(resized.Width, resized.Height, inputSize);
        return Normalize(resized.Rgb, resized.Width, left, top, inputSize);
    }

    internal static DecodedImage ResizeShorterSide(DecodedImage image, int size)
    {
        var (w, h) = image.Width <= image.Height
            ? (size, (int)((long)size * image.Height / image.Width))
            : ((int)((long)size * image.Width / image.Height), size);
        return new DecodedImage(PilBilinearResampler.Resize(image.Rgb, image.Width, image.Height, w, h), w, h);
    }

    internal static (int Left, int Top) CenterCropOffsets(int width, int height, int crop) =>
        ((int)Math.Round((width - crop) / 2.0, MidpointRounding.ToEven),
         (int)Math.Round((height - crop) / 2.0, MidpointRounding.ToEven));

    /// <summary>The size×size window at (left, top) of an RGB buffer → normalised CHW floats.</summary>
    private static float[] Normalize(byte[] rgb, int width, int left, int top, int size)
    {
        var plane = size * size;
        var chw = new float[3 * plane];
        for (var y = 0; y < size; y++)
        {
            var row = ((top + y) * width + left) * 3;
            for (var x = 0; x < size; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var unit = rgb[row + x * 3 + c] / 255f;
                    chw[c * plane + y * size + x] = (unit - Mean[c]) / Std[c];
                }
            }
        }
        return chw;
    }

    internal static DecodedImage Crop(DecodedImage image, FaceBox box)
    {
        var x0 = Math.Clamp(box.X, 0, image.Width - 1);
        var y0 = Math.Clamp(box.Y, 0, image.Height - 1);
        var x1 = Math.Clamp(box.X + box.Width, x0 + 1, image.Width);
        var y1 = Math.Clamp(box.Y + box.Height, y0 + 1, image.Height);
        int w = x1 - x0, h = y1 - y0;
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
            Array.Copy(image.Rgb, ((y0 + y) * image.Width + x0) * 3, rgb, y * w * 3, w * 3);
        return new DecodedImage(rgb, w, h);
    }
}
