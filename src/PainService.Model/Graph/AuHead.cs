using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model.Graph;

/// <summary>
/// The AU representation head (spec §4.3, ANFL variant, used by both MEFARG and FullPictureMEFARG):
/// J per-AU LinearBlocks averaged over positions give the nodes, one graph layer updates them, the
/// <c>sc</c> cosine gives AU scores in [0, 1], and the node sum is the graph representation.
/// </summary>
internal sealed class AuHead : Module<Tensor, AuGraphOutput>
{
    private static readonly Scalar NormFloor = 1e-12.ToScalar(); // held for the life of the process (see HeldScalars)

    internal readonly Parameter sc;
    internal readonly ModuleList<LinearBlock> class_linears;
    internal readonly AuGraphConv gnn;

    public AuHead(GraphAuConfig config) : base("head")
    {
        class_linears = new ModuleList<LinearBlock>(
            Enumerable.Range(0, config.AuCount).Select(_ => new LinearBlock(config.NodeDim, config.NodeDim)).ToArray());
        gnn = new AuGraphConv(config.NodeDim, config.AuCount, config.NeighborCount);
        sc = Parameter(empty(config.AuCount, config.NodeDim));
        RegisterComponents();
        using var _ = no_grad();
        init.xavier_uniform_(sc);
    }

    public override AuGraphOutput forward(Tensor x)                     // x: (B, P, D)
    {
        var perAu = class_linears.Select(block => block.call(x)).ToArray();
        Tensor nodesIn;
        using (var stacked = stack(perAu, dim: 1))                      // (B, J, P, D)
            nodesIn = stacked.mean([-2]);                               // (B, J, D)
        foreach (var t in perAu)
            t.Dispose();

        var (nodes, graph) = gnn.Propagate(nodesIn);                    // (B, J, D)
        var scores = CosineScores(nodes);                               // (B, J)
        var graphRepresentation = nodes.sum(1);                         // (B, D), a sum, not a mean (Q26)
        return new AuGraphOutput(scores, graph, nodesIn, nodes, graphRepresentation);
    }

    /// <summary><c>au_j = ⟨F_j/‖F_j‖, relu(sc_j)/‖relu(sc_j)‖⟩</c>, with F.normalize's eps 1e-12 (spec §4.3 step 5).</summary>
    private Tensor CosineScores(Tensor nodes)
    {
        using var s = functional.relu(sc);
        using var sUnit = L2Normalize(s);                               // (J, D)
        using var fUnit = L2Normalize(nodes);                           // (B, J, D)
        using var sView = sUnit.unsqueeze(0);
        using var prod = fUnit.mul(sView);
        return prod.sum(-1);
    }

    internal static Tensor L2Normalize(Tensor x)
    {
        using var norm = x.norm(-1, true, 2);
        using var clamped = norm.clamp_min(NormFloor);
        return x.div(clamped);
    }
}
