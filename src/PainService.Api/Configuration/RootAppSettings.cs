using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using PainService.Configuration;

namespace PainService.Api.Configuration;

/// <summary>
/// The single configuration file lives at the repository root (beside PainService.sln), shared with the worker.
/// The default host looks for appsettings.json in the content root, which depends on the working directory, so
/// the default JSON sources are re-pointed at the root found by walking up — or at the copy published beside the
/// dll — keeping their position: environment variables and the command line still override them.
/// </summary>
public static class RootAppSettings
{
    private const string FileName = AppSettingsLocator.FileName;

    public static WebApplicationBuilder UseRootAppSettings(this WebApplicationBuilder builder)
    {
        var directory = AppSettingsLocator.FindDirectory(builder.Environment.ContentRootPath, Environment.CurrentDirectory, AppContext.BaseDirectory);
        if (directory is null)
            return builder;
        var sources = builder.Configuration.Sources;
        string[] names = [FileName, $"appsettings.{builder.Environment.EnvironmentName}.json"];
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is not JsonConfigurationSource { Path: { } path } json || !names.Contains(path, StringComparer.OrdinalIgnoreCase))
                continue;
            // Replacing the source object (not mutating it) makes ConfigurationManager reload from the new file.
            sources[i] = new JsonConfigurationSource
            {
                Path = path,
                Optional = path != FileName,
                // Options are read once at start-up; a file watcher per host would only cost inotify instances.
                ReloadOnChange = false,
                FileProvider = new PhysicalFileProvider(directory),
            };
        }
        return builder;
    }
}
