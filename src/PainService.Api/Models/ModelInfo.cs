using System.Text.Json.Nodes;
using PainService.Model;
using PainService.Model.Inference;

namespace PainService.Api.Models;

/// <summary>A model as the registry endpoints show it.</summary>
/// <param name="Active">True for the model answering predictions now.</param>
/// <param name="Config">The model's configuration from its manifest (input size, widths, classes, K).</param>
/// <param name="Created">When the checkpoint was made (null for the embedded model).</param>
/// <param name="Metadata">Manifest metadata: metrics if known, provenance, training options.</param>
/// <param name="Temperature">The softmax temperature its probabilities are (or would be) computed with: the manifest's
/// metadata.temperature, else 1; null when that value is unusable (such a checkpoint fails to load).</param>
public sealed record ModelInfo(
    string Name,
    string Version,
    string WeightsSha256,
    bool Trained,
    string Scheme,
    bool Active,
    GraphAuConfig? Config,
    DateTimeOffset? Created,
    JsonObject? Metadata,
    double? Temperature)
{
    public static ModelInfo From(ModelEntry e, ModelDescriptor? active)
    {
        var isActive = active is not null && active.Version == e.Version && active.WeightsSha256 == e.WeightsSha256;
        return new(e.Name, e.Version, e.WeightsSha256, e.Trained, e.Scheme.ToString(), isActive, e.Architecture, e.Created, e.Metadata,
            isActive ? active!.Temperature : Calibration.TryTemperatureOf(e.Metadata));
    }

    public static ModelInfo From(ModelDescriptor d) => new(d.Name, d.Version, d.WeightsSha256, d.Trained, d.Scheme.ToString(), true, d.Architecture, null, null,
        d.Temperature);
}

/// <summary>The registry listing: the active model and every registry version.</summary>
public sealed record ModelList(ModelInfo? Active, IReadOnlyList<ModelInfo> Models);
