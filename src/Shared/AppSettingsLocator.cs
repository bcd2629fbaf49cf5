namespace PainService.Configuration;

/// <summary>
/// Finds the single appsettings.json that the API and the worker share. In a checkout it sits at the repository
/// root beside PainService.sln, wherever the process was started from; a published build carries a copy beside
/// its dll. Compiled into both executables (linked source) so they can never disagree on which file they read.
/// </summary>
internal static class AppSettingsLocator
{
    public const string FileName = "appsettings.json";

    /// <summary>The folder holding the shared appsettings.json, or null when none is found.</summary>
    public static string? FindDirectory(params string?[] startPoints)
    {
        foreach (var start in startPoints)
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "PainService.sln")) && File.Exists(Path.Combine(dir.FullName, FileName)))
                    return dir.FullName;
        var beside = AppContext.BaseDirectory;
        return File.Exists(Path.Combine(beside, FileName)) ? beside : null;
    }
}
