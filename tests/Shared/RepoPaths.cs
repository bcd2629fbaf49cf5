using System.Reflection;

namespace PainService.Testing;

/// <summary>
/// Locates the repository and ../shared/golden regardless of where the test binaries were built
/// (bin/, or an --artifacts-path outside the tree). The repo root is stamped in at build time.
/// </summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Golden(string file) => Path.Combine(Shared, "golden", file);

    private static string FindRoot()
    {
        var stamped = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (stamped is not null && File.Exists(Path.Combine(stamped, "PainService.sln")))
            return Path.GetFullPath(stamped);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PainService.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (PainService.sln).");
    }
}
