namespace PainService.Vision.Tests.Golden;

/// <summary>Per-channel statistics of a CHW tensor, computed in double as numpy/torch reductions are compared.</summary>
internal static class TensorStats
{
    public static double Mean(float[] chw, int channel, int plane) =>
        chw.AsSpan(channel * plane, plane).ToArray().Average(v => (double)v);

    public static double StdPopulation(float[] chw, int channel, int plane)
    {
        var mean = Mean(chw, channel, plane);
        var sum = 0.0;
        foreach (var v in chw.AsSpan(channel * plane, plane))
            sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / plane);
    }
}
