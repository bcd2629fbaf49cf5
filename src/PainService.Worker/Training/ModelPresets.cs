using PainService.Model;

namespace PainService.Worker.Training;

/// <summary>
/// Architecture presets. <c>paper</c> is the published model (ResNet-50, 512-d nodes, 172 px) and the default;
/// <c>ci</c> keeps every structural rule (8 AUs, K = 3, one fc_au output per backbone position) but narrows the
/// backbone 4× and the nodes to 64-d and takes 96-px input (3×3 = 9 positions), so a CPU trains the synthetic set in
/// minutes; <c>ci172</c> takes the paper's 172 px (36 positions) with 64-d nodes and a backbone narrowed 8× (stem
/// width 8), so the larger input still trains quickly.
/// </summary>
public static class ModelPresets
{
    public static GraphAuConfig Get(string name, PainScheme scheme) => name.ToLowerInvariant() switch
    {
        "paper" => GraphAuConfig.ForScheme(scheme),
        "ci" => GraphAuConfig.ForScheme(scheme) with { StemWidth = 16, NodeDim = 64, InputSize = 96, FusionWidth = 9 },
        "ci172" => GraphAuConfig.ForScheme(scheme) with { StemWidth = 8, NodeDim = 64 },
        _ => throw new ArgumentException($"unknown model preset '{name}': use paper, ci or ci172"),
    };
}
