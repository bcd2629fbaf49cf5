using System.Runtime.InteropServices;

namespace PainService.Vision.Memory;

/// <summary>
/// Process-wide glibc malloc settings that keep RSS close to what is actually in use under bursts of large frames
/// without slowing the forward pass. With glibc's defaults (8 arenas per core, dynamic mmap threshold) 8 large
/// photos in parallel with normal traffic left RSS +370 MB above baseline; one arena and trimming free heap tops above
/// 32 MB keep it near +200 MB (BombMemoryOverHttpTests, BombMemoryTests). The mmap threshold is fixed at 64 MB, above
/// every activation tensor of a batch-16 forward: an earlier 1 MB threshold mmapped (and page-faulted afresh) each of
/// libtorch's activations, which slowed a batch-8 forward from ~300 to ~560 ms and the whole service by a quarter
/// (bench, 2026-12-04). mallopt cannot merge arenas that threads created before the call, so launchers also set
/// MALLOC_ARENA_MAX=1 (the image, scripts/run.sh). Call once at start-up; the environment variables
/// MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ and MALLOC_ARENA_MAX, when set, take precedence. A no-op off
/// Linux/glibc.
/// </summary>
public static class NativeMemoryTuning
{
    private const int TrimThreshold = -1, MmapThreshold = -3, ArenaMax = -8; // mallopt parameters (malloc.h)

    /// <summary>
    /// Applies the settings; false when not on glibc (nothing changed). A parameter whose MALLOC_*_ environment
    /// variable is set keeps that value: glibc read it at start-up, and ops may tune it without a rebuild.
    /// </summary>
    public static bool Apply(int mmapThresholdBytes = 64 << 20, int trimThresholdBytes = 32 << 20, int arenaMax = 1)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            return Set(MmapThreshold, "MALLOC_MMAP_THRESHOLD_", mmapThresholdBytes)
                & Set(TrimThreshold, "MALLOC_TRIM_THRESHOLD_", trimThresholdBytes)
                & Set(ArenaMax, "MALLOC_ARENA_MAX", arenaMax);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl or another libc: keep its defaults
        }
    }

    private static bool Set(int parameter, string environmentVariable, int value) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(environmentVariable)) || MallOpt(parameter, value) == 1;

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}
