using System.Globalization;

namespace PainService.Bench;

/// <summary>The CPU we run on and its FP32 limit: cores × 32 FLOP/cycle (AVX2/AVX-512 FMA, two pipes) × nominal clock.</summary>
internal sealed record Machine(string CpuModel, int Cores, double NominalMhz, string Flags)
{
    public const int FlopsPerCycle = 32;

    public double PeakFlops(int cores) => cores * FlopsPerCycle * NominalMhz * 1e6;

    public string Describe() => $"{CpuModel}, {Cores} cores, {NominalMhz:F0} MHz nominal, " +
                                $"peak {PeakFlops(Cores) / 1e9:F1} GFLOP/s FP32 ({FlopsPerCycle} FLOP/cycle/core)";

    /// <summary>1-minute load average: other processes on a 2-core machine change every number here.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    public static Machine Detect()
    {
        var lines = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "";
        var mhz = double.TryParse(Field("cpu MHz"), NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : double.NaN;
        var flags = Field("flags");
        var simd = flags.Contains("avx512f") ? "AVX-512" : flags.Contains("avx2") ? "AVX2" : "no AVX2";
        return new Machine(Field("model name"), Environment.ProcessorCount, mhz, simd);
    }
}
