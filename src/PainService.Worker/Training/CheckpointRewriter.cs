using System.Text.Json.Nodes;
using PainService.Model.Checkpoints;

namespace PainService.Worker.Training;

/// <summary>
/// Updates a checkpoint's manifest metadata (temperature, test metrics) while keeping its weights and every extra
/// section byte for byte; the rewrite is atomic like every checkpoint save.
/// </summary>
public static class CheckpointRewriter
{
    public static void UpdateMetadata(string path, Action<JsonObject> update)
    {
        CheckpointManifest manifest;
        var sections = new Dictionary<string, byte[]>();
        using var model = LoadAll(path, sections, out manifest);
        var metadata = (JsonObject)manifest.Metadata.DeepClone();
        update(metadata);
        NativeCheckpoint.Save(path, manifest with { Metadata = metadata }, model,
            sections.ToDictionary(kv => kv.Key, kv => (Action<Stream>)(s => s.Write(kv.Value))));
    }

    private static TorchSharp.torch.nn.Module LoadAll(string path, Dictionary<string, byte[]> sections, out CheckpointManifest manifest)
    {
        using var reader = NativeCheckpoint.Open(path);
        manifest = reader.Manifest;
        foreach (var name in reader.SectionNames)
        {
            using var s = reader.OpenSection(name);
            using var buffer = new MemoryStream();
            s.CopyTo(buffer);
            sections[name] = buffer.ToArray();
        }
        var model = NativeCheckpoint.CreateModel(manifest);
        reader.LoadWeightsInto(model);
        return model;
    }
}
