using System.Diagnostics;

namespace PainService.Bench;

/// <summary>Runs an action repeatedly for a bounded time: warm-up first, then at least <c>minRuns</c>, at most <c>maxRuns</c>.</summary>
internal static class Timing
{
    public static List<double> Measure(Action action, TimeSpan budget, int warmup = 1, int minRuns = 3, int maxRuns = 500)
    {
        for (var i = 0; i < warmup; i++)
            action();
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (samples.Count < maxRuns && (samples.Count < minRuns || total.Elapsed < budget))
        {
            var start = Stopwatch.GetTimestamp();
            action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return samples;
    }
}
