namespace PainService.Worker.Training;

/// <summary>
/// torchvision's ColorJitter(0.4, 0.4, 0.4, 0) on a PIL RGB image (spec §3.2 step 5): three factors from [0.6, 1.4]
/// applied in a fresh random order, each a PIL blend with a degenerate image — black (brightness), the rounded mean
/// grey level (contrast), the image's own greyscale (saturation) — computed in float and truncated to uint8 as PIL does.
/// </summary>
public static class PilColorJitter
{
    public static void Apply(byte[] rgb, Random rng, double strength = 0.4)
    {
        if (strength <= 0)
            return;
        var factors = new double[3];
        for (var i = 0; i < 3; i++)
            factors[i] = 1 - strength + 2 * strength * rng.NextDouble();
        int[] order = [0, 1, 2];
        rng.Shuffle(order);
        foreach (var op in order)
        {
            switch (op)
            {
                case 0: Brightness(rgb, (float)factors[0]); break;
                case 1: Contrast(rgb, (float)factors[1]); break;
                default: Saturation(rgb, (float)factors[2]); break;
            }
        }
    }

    public static void Brightness(byte[] rgb, float factor)
    {
        for (var i = 0; i < rgb.Length; i++)
            rgb[i] = Blend(0, rgb[i], factor);
    }

    public static void Contrast(byte[] rgb, float factor)
    {
        long sum = 0;
        for (var i = 0; i < rgb.Length; i += 3)
            sum += Luma(rgb, i);
        // ImageStat mean of the L image, rounded with int(mean + 0.5).
        var mean = (int)((double)sum / (rgb.Length / 3) + 0.5);
        for (var i = 0; i < rgb.Length; i++)
            rgb[i] = Blend(mean, rgb[i], factor);
    }

    public static void Saturation(byte[] rgb, float factor)
    {
        for (var i = 0; i < rgb.Length; i += 3)
        {
            var grey = Luma(rgb, i);
            for (var c = 0; c < 3; c++)
                rgb[i + c] = Blend(grey, rgb[i + c], factor);
        }
    }

    /// <summary>PIL's RGB → L conversion (ITU-R 601-2 luma in 16-bit fixed point).</summary>
    public static int Luma(byte[] rgb, int i) => (rgb[i] * 19595 + rgb[i + 1] * 38470 + rgb[i + 2] * 7471 + 0x8000) >> 16;

    /// <summary>PIL ImagingBlend: in1 + α(in2 − in1) in float, clipped, truncated to uint8.</summary>
    public static byte Blend(int degenerate, int pixel, float alpha)
    {
        var v = degenerate + alpha * (pixel - degenerate);
        return v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)v;
    }
}
