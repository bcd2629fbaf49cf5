using PainService.Vision.Imaging;
using PainService.Vision.Preprocessing;

namespace PainService.Worker.Training;

/// <summary>
/// The train transform of spec §3.2 (resize shorter side to 256, crop per <see cref="CropMode"/>, flip, colour jitter,
/// ToTensor, Normalize) and the test transform of §3.3. The test transform is the service's own
/// <see cref="ModelInputBuilder.TestTransform"/> at this input size (smaller CI inputs scale the 256/172 ratio), so
/// evaluation, relabelling and the API feed a model exactly the same input for the same stored crop.
/// </summary>
public sealed class FrameTransform(int inputSize, CropMode cropMode, bool flip = true, double jitter = 0.4)
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    public int InputSize { get; } = inputSize;

    public int ResizeTo => ModelInputBuilder.ResizeFor(InputSize);

    public float[] Train(DecodedImage stored, Random rng)
    {
        // Legacy draws the offsets from the stored image before resizing (always 0 for 172 crops, quirk Q1).
        var legacyX = stored.Width > InputSize ? rng.Next(0, stored.Width - InputSize + 1) : 0;
        var legacyY = stored.Height > InputSize ? rng.Next(0, stored.Height - InputSize + 1) : 0;
        var mirror = flip && rng.Next(2) == 1;
        var resized = Resize(stored);
        var (x0, y0) = cropMode == CropMode.Legacy
            ? (Math.Min(legacyX, resized.Width - InputSize), Math.Min(legacyY, resized.Height - InputSize))
            : (rng.Next(0, resized.Width - InputSize + 1), rng.Next(0, resized.Height - InputSize + 1));
        var crop = Crop(resized, x0, y0, mirror);
        PilColorJitter.Apply(crop, rng, jitter);
        return ToTensor(crop);
    }

    public float[] Test(DecodedImage stored) => ModelInputBuilder.TestTransform(stored, InputSize);

    private DecodedImage Resize(DecodedImage image)
    {
        var (w, h) = image.Width <= image.Height
            ? (ResizeTo, (int)((long)ResizeTo * image.Height / image.Width))
            : ((int)((long)ResizeTo * image.Width / image.Height), ResizeTo);
        return new DecodedImage(PilBilinearResampler.Resize(image.Rgb, image.Width, image.Height, w, h), w, h);
    }

    private byte[] Crop(DecodedImage image, int x0, int y0, bool mirror)
    {
        var s = InputSize;
        var rgb = new byte[s * s * 3];
        for (var y = 0; y < s; y++)
            for (var x = 0; x < s; x++)
            {
                var from = ((y0 + y) * image.Width + x0 + (mirror ? s - 1 - x : x)) * 3;
                var to = (y * s + x) * 3;
                rgb[to] = image.Rgb[from];
                rgb[to + 1] = image.Rgb[from + 1];
                rgb[to + 2] = image.Rgb[from + 2];
            }
        return rgb;
    }

    private float[] ToTensor(byte[] rgb)
    {
        var plane = InputSize * InputSize;
        var chw = new float[3 * plane];
        for (var p = 0; p < plane; p++)
            for (var c = 0; c < 3; c++)
                chw[c * plane + p] = (rgb[p * 3 + c] / 255f - Mean[c]) / Std[c];
        return chw;
    }
}
