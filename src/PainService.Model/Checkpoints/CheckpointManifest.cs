using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PainService.Model.Checkpoints;

/// <summary>Which network a checkpoint holds.</summary>
public enum ModelKind
{
    /// <summary>GraphAU-Pain (FullPictureMEFARG), the served model.</summary>
    Pain,
    /// <summary>The stage-1 AU model (MEFARG).</summary>
    Stage1,
}

/// <summary>
/// The <c>manifest.json</c> of a native checkpoint: how to rebuild the network, what it is, and free-form metadata
/// (metrics, provenance, calibration temperature, training options …) that later jobs add.
/// </summary>
public sealed record CheckpointManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public ModelKind Model { get; init; } = ModelKind.Pain;
    public GraphAuConfig Architecture { get; init; } = new();
    public PainScheme Scheme { get; init; } = PainScheme.ThreeLevel;
    public string Name { get; init; } = "GraphAU-Pain";
    public string Version { get; init; } = "0";
    public bool Trained { get; init; }
    public JsonObject Metadata { get; init; } = new();

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };
}
