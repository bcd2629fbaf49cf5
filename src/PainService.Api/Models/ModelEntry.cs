using System.Text.Json.Nodes;
using PainService.Model;

namespace PainService.Api.Models;

/// <summary>One registry checkpoint as its manifest describes it.</summary>
/// <param name="Created">The manifest's metadata "created" when present, else the file's last write time (UTC).</param>
/// <param name="Architecture">The manifest's model configuration (input size, widths, classes, K).</param>
/// <param name="Metadata">Free-form manifest metadata: metrics (if known), provenance, training options.</param>
public sealed record ModelEntry(
    string Name,
    string Version,
    string WeightsSha256,
    bool Trained,
    PainScheme Scheme,
    GraphAuConfig Architecture,
    DateTimeOffset Created,
    JsonObject Metadata,
    string FilePath);
