using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PainService.Model.Checkpoints;

namespace PainService.Api.Models;

/// <summary>
/// Reads the registry folder. Only manifests are read here (zip + JSON, no tensors), and each file's SHA-256 is
/// cached by (length, write time) so listing stays cheap. Unreadable files are skipped with a warning.
/// </summary>
public sealed partial class ModelRegistry(IOptions<ModelRegistryOptions> options, ILogger<ModelRegistry> logger)
{
    private readonly ConcurrentDictionary<string, (long Length, DateTime Written, ModelEntry? Entry)> _cache = new();

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.Path);

    /// <summary>
    /// All readable checkpoints, newest first; the first file wins when two claim one version. The folder may change
    /// while it is listed (a checkpoint deleted or replaced, a subfolder removed): whatever vanished is left out.
    /// </summary>
    public IReadOnlyList<ModelEntry> List()
    {
        if (!IsConfigured)
            return [];
        List<string> files;
        try
        {
            // IgnoreInaccessible: an unreadable subfolder is skipped; one deleted mid-walk is skipped by the enumerator.
            files = Directory.EnumerateFiles(options.Value.Path, "*.ckpt",
                new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return []; // no registry folder (yet), or it was removed while being listed
        }
        return List(files);
    }

    /// <summary>The entries of these files (as enumerated a moment ago: any of them may be gone by now).</summary>
    internal IReadOnlyList<ModelEntry> List(IEnumerable<string> files) => files
        .Order(StringComparer.Ordinal)
        .Select(Read)
        .OfType<ModelEntry>()
        .DistinctBy(e => e.Version, StringComparer.Ordinal)
        .OrderByDescending(e => e.Created)
        .ToList();

    public ModelEntry? Find(string version) => List().FirstOrDefault(e => string.Equals(e.Version, version, StringComparison.Ordinal));

    private ModelEntry? Read(string path)
    {
        // One look at the file's size and time, used for the cache key and the fallback date; Length throws for a
        // file deleted since the folder was enumerated.
        (long Length, DateTime Written) stamp;
        try
        {
            var info = new FileInfo(path);
            stamp = (info.Length, info.LastWriteTimeUtc);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Vanished(path);
        }
        if (_cache.TryGetValue(path, out var cached) && (cached.Length, cached.Written) == stamp)
            return cached.Entry;
        ModelEntry? entry = null;
        try
        {
            CheckpointManifest manifest;
            using (var reader = NativeCheckpoint.Open(path))
                manifest = reader.Manifest;
            if (manifest.Model != ModelKind.Pain)
                throw new InvalidDataException($"it holds a {manifest.Model} model, not the pain model");
            var created = manifest.Metadata["created"] is JsonValue v && v.TryGetValue<DateTimeOffset>(out var c)
                ? c
                : new DateTimeOffset(stamp.Written, TimeSpan.Zero);
            entry = new ModelEntry(manifest.Name, manifest.Version, NativeCheckpoint.Sha256OfFile(path), manifest.Trained,
                manifest.Scheme, manifest.Architecture, created, manifest.Metadata, path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Vanished(path); // deleted (or moved away) while it was being read
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            LogUnreadable(logger, Path.GetFileName(path), e.Message);
        }
        _cache[path] = (stamp.Length, stamp.Written, entry);
        return entry;
    }

    private ModelEntry? Vanished(string path)
    {
        _cache.TryRemove(path, out _);
        LogVanished(logger, Path.GetFileName(path));
        return null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Registry file {File} vanished while the registry was listed; left out")]
    private static partial void LogVanished(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registry file {File} is not a usable pain-model checkpoint and is skipped: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string file, string reason);
}
