using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Checkpoints;

/// <summary>
/// The service's checkpoint: one uncompressed zip holding <c>manifest.json</c> (<see cref="CheckpointManifest"/>),
/// <c>model.bin</c> (the state dict, <see cref="StateDictFile"/>) and any extra named sections
/// (the worker adds e.g. <c>optimizer.bin</c>). Writing is deterministic: same content, same bytes.
/// </summary>
public static class NativeCheckpoint
{
    public const string ManifestEntry = "manifest.json";
    public const string WeightsEntry = "model.bin";

    // Fixed entry timestamps keep the bytes (and so WeightsSha256) a function of the content alone.
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes atomically: a temporary file in the same folder, flushed to disk, then renamed over <paramref name="path"/>.</summary>
    public static void Save(string path, CheckpointManifest manifest, nn.Module model, IReadOnlyDictionary<string, Action<Stream>>? sections = null)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                Write(file, manifest, model, sections);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes the checkpoint to a seekable stream.</summary>
    public static void Write(Stream destination, CheckpointManifest manifest, nn.Module model, IReadOnlyDictionary<string, Action<Stream>>? sections = null)
    {
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, ManifestEntry, s => JsonSerializer.Serialize(s, manifest, CheckpointManifest.Json));
        WriteEntry(zip, WeightsEntry, s => StateDictFile.Write(s, model.state_dict()));
        foreach (var (name, write) in (sections ?? new Dictionary<string, Action<Stream>>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name is ManifestEntry or WeightsEntry)
                throw new ArgumentException($"Section name '{name}' is reserved.", nameof(sections));
            WriteEntry(zip, name, write);
        }
    }

    /// <summary>The checkpoint serialised in memory and its SHA-256 (lower-case hex), e.g. for the embedded model.</summary>
    public static (byte[] Bytes, string Sha256) Serialize(CheckpointManifest manifest, nn.Module model)
    {
        using var buffer = new MemoryStream();
        Write(buffer, manifest, model);
        var bytes = buffer.ToArray();
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    public static string Sha256OfFile(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public static NativeCheckpointReader Open(string path) => new(File.OpenRead(path));

    public static NativeCheckpointReader Open(Stream stream) => new(stream);

    /// <summary>Builds the network the manifest describes (fresh initial weights, CPU).</summary>
    public static nn.Module CreateModel(CheckpointManifest manifest) => manifest.Model switch
    {
        ModelKind.Pain when manifest.Architecture.ClassCount != manifest.Scheme.ClassCount() => throw new InvalidDataException(
            $"Inconsistent manifest: scheme {manifest.Scheme} has {manifest.Scheme.ClassCount()} classes, the architecture {manifest.Architecture.ClassCount}."),
        ModelKind.Pain => new GraphAuPainNet(manifest.Architecture),
        ModelKind.Stage1 => new GraphAuNet(manifest.Architecture),
        _ => throw new InvalidDataException($"Unknown model kind {manifest.Model}."),
    };

    /// <summary>Loads a pain-model checkpoint strictly (every key and shape checked) on the CPU.</summary>
    public static (GraphAuPainNet Net, CheckpointManifest Manifest) LoadPainModel(string path)
    {
        using var reader = Open(path);
        if (reader.Manifest.Model != ModelKind.Pain)
            throw new InvalidDataException($"{path} holds a {reader.Manifest.Model} model, not the pain model.");
        var net = (GraphAuPainNet)CreateModel(reader.Manifest);
        try
        {
            reader.LoadWeightsInto(net);
            return (net, reader.Manifest);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        write(stream);
    }
}

/// <summary>An open native checkpoint: its manifest, its weights and its extra sections.</summary>
public sealed class NativeCheckpointReader : IDisposable
{
    private readonly ZipArchive _zip;

    internal NativeCheckpointReader(Stream stream)
    {
        try
        {
            _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException ex)
        {
            stream.Dispose();
            throw new InvalidDataException("Not a native PainService checkpoint (not a zip archive).", ex);
        }
        var manifestEntry = _zip.GetEntry(NativeCheckpoint.ManifestEntry)
            ?? throw new InvalidDataException($"Not a native PainService checkpoint: no {NativeCheckpoint.ManifestEntry}.");
        using (var s = manifestEntry.Open())
            Manifest = JsonSerializer.Deserialize<CheckpointManifest>(s, CheckpointManifest.Json)
                ?? throw new InvalidDataException("Empty checkpoint manifest.");
        if (Manifest.Format > CheckpointManifest.CurrentFormat)
            throw new InvalidDataException($"Checkpoint format {Manifest.Format} is newer than this build reads ({CheckpointManifest.CurrentFormat}).");
    }

    public CheckpointManifest Manifest { get; }

    /// <summary>Names of the extra sections (everything but the manifest and the weights).</summary>
    public IReadOnlyList<string> SectionNames => _zip.Entries.Select(e => e.FullName)
        .Where(n => n is not NativeCheckpoint.ManifestEntry and not NativeCheckpoint.WeightsEntry).ToList();

    public bool HasSection(string name) => _zip.GetEntry(name) is not null;

    public Stream OpenSection(string name) =>
        (_zip.GetEntry(name) ?? throw new KeyNotFoundException($"The checkpoint has no section '{name}'.")).Open();

    /// <summary>The weights as CPU tensors; the caller disposes them.</summary>
    public Dictionary<string, Tensor> ReadWeights()
    {
        using var s = OpenSection(NativeCheckpoint.WeightsEntry);
        using var buffered = new BufferedStream(s, 1 << 20);
        return StateDictFile.Read(buffered);
    }

    /// <summary>Loads the weights into <paramref name="model"/>, checking every key and shape (strict unless partial).</summary>
    public LoadReport LoadWeightsInto(nn.Module model, bool allowPartial = false)
    {
        var weights = ReadWeights();
        try
        {
            return StateDictLoader.Load(model, weights, allowPartial);
        }
        finally
        {
            foreach (var t in weights.Values)
                t.Dispose();
        }
    }

    public void Dispose() => _zip.Dispose();
}
