using System.Text.Json.Serialization;

namespace PainService.Model;

/// <summary>
/// Architecture of the GraphAU-Pain models (spec §4). Defaults are the paper's: ResNet-50 at 172 px
/// (6×6 = 36 positions), 512-d AU nodes, 8 AUs, K = 3 neighbours, 3 pain classes.
/// </summary>
public sealed record GraphAuConfig
{
    /// <summary>ResNet stem width; the backbone emits 32× this many channels (2048 for ResNet-50).</summary>
    public int StemWidth { get; init; } = 64;

    /// <summary>Width of the AU node features (global_linear and class_linears outputs).</summary>
    public int NodeDim { get; init; } = 512;

    /// <summary>Number of AU nodes J (8, DISFA order).</summary>
    public int AuCount { get; init; } = 8;

    /// <summary>K of the top-K graph rule (neighbor_num; ties add neighbours, spec Q16).</summary>
    public int NeighborCount { get; init; } = 3;

    /// <summary>Pain classes of the final fc (3 levels; 4 and 2 for the other schemes).</summary>
    public int ClassCount { get; init; } = 3;

    /// <summary>Side of the square input image.</summary>
    public int InputSize { get; init; } = 172;

    /// <summary>Output width of fc_au, fc_bb and fc_pe (36 in the reference). fc_au's width must equal the
    /// number of backbone positions (spec Q14), so this ties the pain head to one input size.</summary>
    public int FusionWidth { get; init; } = 36;

    [JsonIgnore] public int BackboneChannels => StemWidth * 32;

    /// <summary>Side of the layer4 feature map: five stride-2 steps of ⌊(n − 1)/2⌋ + 1.</summary>
    [JsonIgnore] public int FeatureMapSide => Enumerable.Range(0, 5).Aggregate(InputSize, (n, _) => (n - 1) / 2 + 1);

    /// <summary>P, the number of backbone tokens (36 at 172 px, 49 at 224 px).</summary>
    [JsonIgnore] public int PositionCount => FeatureMapSide * FeatureMapSide;

    [JsonIgnore] public int FusionInputWidth => 2 * FusionWidth;

    public static GraphAuConfig ForScheme(PainScheme scheme) => new() { ClassCount = scheme.ClassCount() };

    /// <summary>Checks the AU graph settings (stage-1 model).</summary>
    public GraphAuConfig ValidateAuModel()
    {
        Require(StemWidth > 0, $"StemWidth must be positive (got {StemWidth}).");
        Require(NodeDim > 0, $"NodeDim must be positive (got {NodeDim}).");
        Require(AuCount > 0, $"AuCount must be positive (got {AuCount}).");
        Require(NeighborCount >= 1 && NeighborCount <= AuCount, $"NeighborCount must be in [1, AuCount={AuCount}] (got {NeighborCount}).");
        Require(InputSize >= 32, $"InputSize must be at least 32 (got {InputSize}).");
        return this;
    }

    /// <summary>Checks the pain model: also fails fast when the input size does not give fc_au's width in positions (Q14).</summary>
    public GraphAuConfig ValidatePainModel()
    {
        ValidateAuModel();
        Require(ClassCount >= 2, $"ClassCount must be at least 2 (got {ClassCount}).");
        Require(PositionCount == FusionWidth,
            $"InputSize {InputSize} gives {FeatureMapSide}×{FeatureMapSide} = {PositionCount} backbone positions, but fc_au has " +
            $"FusionWidth = {FusionWidth} outputs, one per position (spec Q14). Use InputSize 172 for the paper's model, or set FusionWidth = {PositionCount}.");
        return this;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException(message);
    }
}
