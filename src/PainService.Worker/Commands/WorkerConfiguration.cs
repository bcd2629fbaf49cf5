using Microsoft.Extensions.Configuration;
using PainService.Configuration;
using PainService.Model.Inference;
using PainService.Worker.Training;

namespace PainService.Worker.Commands;

/// <summary>
/// The configuration the worker shares with the API: the repository's appsettings.json (or the copy beside the
/// binary), then environment variables (<c>Jobs__*</c>, <c>Model__Device</c>). Command-line options override both.
/// </summary>
internal static class WorkerConfiguration
{
    public static IConfiguration Load()
    {
        var builder = new ConfigurationBuilder();
        if (AppSettingsLocator.FindDirectory(Directory.GetCurrentDirectory(), AppContext.BaseDirectory) is { } directory)
            builder.AddJsonFile(Path.Combine(directory, AppSettingsLocator.FileName), optional: false);
        return builder.AddEnvironmentVariables().Build();
    }

    /// <summary>
    /// <c>Model:Device</c> (the compose file and the Kubernetes GPU overlay set <c>Model__Device=cuda</c> for the worker
    /// too), else <c>auto</c>: the default of every <c>--device</c> option and of jobs that name no device.
    /// </summary>
    public static string DefaultDevice() =>
        Load()[$"{PainModelOptions.SectionName}:{nameof(PainModelOptions.Device)}"] is { Length: > 0 } device ? device : TrainingDevice.Auto;
}
