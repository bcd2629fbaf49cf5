namespace PainService.Vision.Preprocessing;

/// <summary>
/// PIL's (Pillow 9.x) BILINEAR resize of 8-bit RGB, reproduced exactly because the model was trained and its
/// goldens were made on PIL output. Pillow resizes separably: a triangle filter whose support widens by the
/// downscale factor (so downscaling is antialiased, unlike OpenCV's INTER_LINEAR), sampled at pixel centres,
/// weights normalised per output pixel and turned into 22-bit fixed point, the horizontal pass first, and each
/// pass rounded and clipped to 8 bits.
/// </summary>
public static class PilBilinearResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes an interleaved RGB buffer of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] Resize(byte[] rgb, int width, int height, int outWidth, int outHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        if (rgb.Length != width * height * 3)
            throw new ArgumentException($"Expected {width * height * 3} bytes for {width}×{height} RGB.", nameof(rgb));
        if (outWidth == width && outHeight == height)
            return (byte[])rgb.Clone();

        var horizontal = Coefficients.For(width, outWidth);
        var vertical = Coefficients.For(height, outHeight);

        // Like Pillow, the horizontal pass only touches the source rows the vertical pass will read.
        var firstRow = vertical.Start[0];
        var lastRow = vertical.Start[outHeight - 1] + vertical.Count[outHeight - 1];
        var rows = lastRow - firstRow;

        var temp = new byte[outWidth * rows * 3];
        if (outWidth != width)
            Horizontal(rgb, width, firstRow, rows, temp, horizontal);
        else
            Array.Copy(rgb, firstRow * width * 3, temp, 0, temp.Length);

        if (outHeight == rows && firstRow == 0 && outHeight == height)
            return temp;
        var output = new byte[outWidth * outHeight * 3];
        Vertical(temp, outWidth, firstRow, output, outHeight, vertical);
        return output;
    }

    private static void Horizontal(byte[] src, int width, int firstRow, int rows, byte[] dst, Coefficients c)
    {
        var outWidth = c.Start.Length;
        for (var y = 0; y < rows; y++)
        {
            var srcRow = (y + firstRow) * width * 3;
            var dstRow = y * outWidth * 3;
            for (var x = 0; x < outWidth; x++)
            {
                int r = 1 << (PrecisionBits - 1), g = r, b = r;
                var k = x * c.KernelSize;
                var p = srcRow + c.Start[x] * 3;
                for (var i = 0; i < c.Count[x]; i++, p += 3)
                {
                    var w = c.Weights[k + i];
                    r += src[p] * w;
                    g += src[p + 1] * w;
                    b += src[p + 2] * w;
                }
                dst[dstRow + x * 3] = Clip8(r);
                dst[dstRow + x * 3 + 1] = Clip8(g);
                dst[dstRow + x * 3 + 2] = Clip8(b);
            }
        }
    }

    private static void Vertical(byte[] src, int width, int firstRow, byte[] dst, int outHeight, Coefficients c)
    {
        var stride = width * 3;
        for (var y = 0; y < outHeight; y++)
        {
            var k = y * c.KernelSize;
            var top = c.Start[y] - firstRow;
            for (var x = 0; x < stride; x++)
            {
                var acc = 1 << (PrecisionBits - 1);
                for (var i = 0; i < c.Count[y]; i++)
                    acc += src[(top + i) * stride + x] * c.Weights[k + i];
                dst[y * stride + x] = Clip8(acc);
            }
        }
    }

    private static byte Clip8(int value) =>
        value >= 255 << PrecisionBits ? (byte)255 : value <= 0 ? (byte)0 : (byte)(value >> PrecisionBits);

    /// <summary>Per output pixel: first source index, tap count and fixed-point weights (Pillow's precompute).</summary>
    private sealed class Coefficients
    {
        public required int[] Start { get; init; }
        public required int[] Count { get; init; }
        public required int[] Weights { get; init; }
        public required int KernelSize { get; init; }

        public static Coefficients For(int inSize, int outSize)
        {
            var scale = (double)inSize / outSize;
            var filterScale = Math.Max(scale, 1.0);
            var support = 1.0 * filterScale; // the triangle filter's support is 1 source pixel
            var kernelSize = (int)Math.Ceiling(support) * 2 + 1;
            var inverseFilterScale = 1.0 / filterScale; // multiplied, not divided: Pillow's rounding
            var start = new int[outSize];
            var count = new int[outSize];
            var weights = new int[outSize * kernelSize];
            var taps = new double[kernelSize];
            for (var o = 0; o < outSize; o++)
            {
                var center = (o + 0.5) * scale;
                var min = Math.Max((int)(center - support + 0.5), 0);
                var max = Math.Min((int)(center + support + 0.5), inSize) - min;
                var sum = 0.0;
                for (var i = 0; i < max; i++)
                {
                    taps[i] = Triangle((i + min - center + 0.5) * inverseFilterScale);
                    sum += taps[i];
                }
                for (var i = 0; i < max; i++)
                {
                    var w = sum != 0.0 ? taps[i] / sum : taps[i];
                    weights[o * kernelSize + i] = w < 0
                        ? (int)(-0.5 + w * (1 << PrecisionBits))
                        : (int)(0.5 + w * (1 << PrecisionBits));
                }
                start[o] = min;
                count[o] = max;
            }
            return new Coefficients { Start = start, Count = count, Weights = weights, KernelSize = kernelSize };
        }

        private static double Triangle(double x)
        {
            x = Math.Abs(x);
            return x < 1.0 ? 1.0 - x : 0.0;
        }
    }
}
