using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PainService.Model.Checkpoints;

namespace PainService.Api.Tests.Support;

/// <summary>A temporary registry folder of manifest-only checkpoints (the fake loader never needs weights).</summary>
public sealed class RegistryFolder : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string Path { get; } = Directory.CreateTempSubdirectory("painservice-registry-").FullName;

    /// <summary>Adds a checkpoint; the fake loader fails on <paramref name="failOnLoad"/> and <paramref name="failOnWarmUp"/>.</summary>
    public string Add(string version, bool trained = true, DateTimeOffset? created = null, bool failOnLoad = false, bool failOnWarmUp = false)
    {
        var metadata = new JsonObject { ["created"] = (created ?? DateTimeOffset.UtcNow).ToString("O"), ["metrics"] = new JsonObject { ["macroF1"] = 0.61 } };
        if (failOnLoad)
            metadata["fail"] = true;
        if (failOnWarmUp)
            metadata["failWarmUp"] = true;
        var manifest = new CheckpointManifest { Version = version, Trained = trained, Metadata = metadata };
        var file = System.IO.Path.Combine(Path, $"{version}.ckpt");
        using (var zip = ZipFile.Open(file, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry(NativeCheckpoint.ManifestEntry).Open())
                JsonSerializer.Serialize(s, manifest, Json);
            using (var w = zip.CreateEntry(NativeCheckpoint.WeightsEntry).Open())
                w.Write(System.Text.Encoding.ASCII.GetBytes(version)); // distinct bytes, distinct hash
        }
        return file;
    }

    public void AddJunk(string name) => File.WriteAllText(System.IO.Path.Combine(Path, name), "not a zip");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
