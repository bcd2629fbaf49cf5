using System.Runtime.InteropServices;

namespace PainService.Vision.Memory;

/// <summary>
/// Process-wide glibc malloc settings that keep RSS close to what is actually in use under bursts of large frames.
/// By default glibc serves multi-MB blocks (ImageSharp's pixel blocks, OpenCV's integral-image pyramids) from
/// per-thread arenas once a freed mmap has raised its dynamic threshold (up to 32 MB), and memory freed in one
/// arena is rarely returned to the OS or reused by other threads: 8 large photos in parallel with normal traffic
/// then left RSS +370 MB above baseline instead of +190 MB with these settings (measured in BombMemoryTests).
/// Blocks of 1 MB and more are mmapped (returned to the OS on free; a 15 MB pyramid costs ~1 ms of page faults),
/// the heap is trimmed above 1 MB free, and at most 2 arenas exist. Call once at start-up; the environment
/// variables MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ and MALLOC_ARENA_MAX do the same before launch.
/// A no-op off Linux/glibc.
/// </summary>
public static class NativeMemoryTuning
{
    private const int TrimThreshold = -1, MmapThreshold = -3, ArenaMax = -8; // mallopt parameters (malloc.h)

    /// <summary>Applies the settings; false when not on glibc (nothing changed).</summary>
    public static bool Apply(int mmapThresholdBytes = 1 << 20, int arenaMax = 2)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            return MallOpt(MmapThreshold, mmapThresholdBytes) == 1
                & MallOpt(TrimThreshold, mmapThresholdBytes) == 1
                & MallOpt(ArenaMax, arenaMax) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl or another libc: keep its defaults
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}
