using PainService.Model;

namespace PainService.Worker.Training;

/// <summary>
/// Architecture presets. <c>paper</c> is the published model (ResNet-50, 512-d nodes, 172 px) and the default;
/// <c>ci</c> keeps the input size and every structural rule (36 positions, 8 AUs, K = 3) but narrows the backbone
/// 8× and the nodes to 64-d so a CPU trains the synthetic set in minutes.
/// </summary>
public static class ModelPresets
{
    public static GraphAuConfig Get(string name, PainScheme scheme) => name.ToLowerInvariant() switch
    {
        "paper" => GraphAuConfig.ForScheme(scheme),
        "ci" => GraphAuConfig.ForScheme(scheme) with { StemWidth = 8, NodeDim = 64 },
        _ => throw new ArgumentException($"unknown model preset '{name}': use paper or ci"),
    };
}
