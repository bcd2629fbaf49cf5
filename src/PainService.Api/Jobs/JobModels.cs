using PainService.Api.Models;
using PainService.Jobs;
using PainService.Model.Checkpoints;

namespace PainService.Api.Jobs;

/// <summary>Links a finished job to the model registry: the version its checkpoint can be activated under.</summary>
public static class JobModels
{
    /// <returns>
    /// The manifest version of the job's result when that is a checkpoint the registry lists; null for other results
    /// (an evaluation folder), for a registry that does not cover the job folder, or for an unreadable file.
    /// </returns>
    public static string? RegistryVersion(JobRecord job, ModelRegistry registry)
    {
        if (job is not { Status: JobStatus.Succeeded, ResultPath: { } path } || !path.EndsWith(".ckpt", StringComparison.Ordinal) || !File.Exists(path))
            return null;
        string version;
        try
        {
            // Only the manifest is read (zip + JSON), never the weights.
            using var reader = NativeCheckpoint.Open(path);
            version = reader.Manifest.Version;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
        // The registry lists pain models only, so an SFT checkpoint never gets a version here.
        return registry.Find(version) is not null ? version : null;
    }
}
