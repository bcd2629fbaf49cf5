namespace PainService.Model.Weights;

/// <summary>
/// The input formula of WEIGHTS.md §3: already-normalised images whose image n does not depend on the batch size.
/// <c>x[n,c,y,x] = (float)((2·u(N, f) + u(N_mean, 3n + c)) + u(N_ramp, n) · ((y − 85.5) / 85.5))</c>, N = "x7".
/// </summary>
public static class FormulaInput
{
    public const string DefaultName = "x7";

    /// <summary>Image <paramref name="n"/> as float32 CHW, <c>3 × size × size</c>.</summary>
    public static float[] Image(int n, int size = 172, string name = DefaultName)
    {
        var hash = FormulaHash.Fnv1a64(name);
        var meanHash = FormulaHash.Fnv1a64(name + "_mean");
        var ramp = FormulaHash.U(name + "_ramp", n);
        var centre = (size - 1) / 2.0;
        var plane = (long)size * size;
        var values = new float[3 * plane];
        for (var c = 0; c < 3; c++)
        {
            var mean = FormulaHash.U(meanHash, 3L * n + c);
            for (var y = 0; y < size; y++)
            {
                var r = ramp * ((y - centre) / centre);
                for (var x = 0; x < size; x++)
                {
                    long f = ((((long)n * 3 + c) * size + y) * size) + x;
                    values[c * plane + (long)y * size + x] = (float)((2.0 * FormulaHash.U(hash, f) + mean) + r);
                }
            }
        }
        return values;
    }

    /// <summary>Images 0..count−1 concatenated, i.e. a <c>(count, 3, size, size)</c> batch in row-major order.</summary>
    public static float[] Batch(int count, int size = 172, string name = DefaultName) =>
        Enumerable.Range(0, count).SelectMany(n => Image(n, size, name)).ToArray();
}
