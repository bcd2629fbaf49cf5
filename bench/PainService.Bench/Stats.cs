namespace PainService.Bench;

/// <summary>Latency summary in milliseconds (nearest-rank percentiles).</summary>
internal sealed record Stats(int Count, double Mean, double P50, double P95, double P99, double Min, double Max)
{
    public static Stats Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
            return new Stats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var sorted = samples.Order().ToArray();
        double Rank(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Stats(sorted.Length, sorted.Average(), Rank(0.50), Rank(0.95), Rank(0.99), sorted[0], sorted[^1]);
    }
}
