using System.Text.Json.Nodes;
using PainService.Model.Inference;

namespace PainService.Api.Models;

/// <summary>A model as the registry endpoints show it.</summary>
/// <param name="Active">True for the model answering predictions now.</param>
/// <param name="Created">When the checkpoint was made (null for the embedded model).</param>
/// <param name="Metadata">Manifest metadata: metrics if known, provenance, training options.</param>
public sealed record ModelInfo(
    string Name,
    string Version,
    string WeightsSha256,
    bool Trained,
    string Scheme,
    bool Active,
    DateTimeOffset? Created,
    JsonObject? Metadata)
{
    public static ModelInfo From(ModelEntry e, ModelDescriptor? active) => new(e.Name, e.Version, e.WeightsSha256, e.Trained,
        e.Scheme.ToString(), active is not null && active.Version == e.Version && active.WeightsSha256 == e.WeightsSha256,
        e.Created, e.Metadata);

    public static ModelInfo From(ModelDescriptor d) => new(d.Name, d.Version, d.WeightsSha256, d.Trained, d.Scheme.ToString(), true, null, null);
}

/// <summary>The registry listing: the active model and every registry version.</summary>
public sealed record ModelList(ModelInfo? Active, IReadOnlyList<ModelInfo> Models);
