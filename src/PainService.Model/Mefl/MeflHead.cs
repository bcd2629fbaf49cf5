using PainService.Model.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model.Mefl;

/// <summary>The MEFL head: per-AU maps, GEM edge features, the gated GNN, the sc cosine AU scores and edge_fc.</summary>
internal sealed class MeflHead : Module<Tensor, MeflOutput>
{
    internal readonly ModuleList<LinearBlock> class_linears;
    internal readonly EdgeExtractor edge_extractor;
    internal readonly GatedGraphConv gnn;
    internal readonly Parameter sc;
    internal readonly Linear edge_fc;

    public MeflHead(GraphAuConfig config) : base("head")
    {
        class_linears = new ModuleList<LinearBlock>(
            Enumerable.Range(0, config.AuCount).Select(_ => new LinearBlock(config.NodeDim, config.NodeDim)).ToArray());
        edge_extractor = new EdgeExtractor(config.NodeDim, config.AuCount);
        gnn = new GatedGraphConv(config.NodeDim, config.AuCount);
        sc = Parameter(empty(config.AuCount, config.NodeDim));
        edge_fc = Linear(config.NodeDim, 4);
        RegisterComponents();
        using var _ = no_grad();
        init.xavier_uniform_(edge_fc.weight);
        init.xavier_uniform_(sc);
    }

    public override MeflOutput forward(Tensor x)                                    // (B, P, C)
    {
        using var scope = NewDisposeScope();
        var auMaps = stack(class_linears.Select(block => block.call(x)).ToArray(), dim: 1);   // (B, J, P, C)
        var nodes = auMaps.mean([-2]);                                                         // (B, J, C)
        var edges = edge_extractor.call(auMaps, x).mean([-2]);                                 // (B, J², C)
        (nodes, edges) = gnn.call(nodes, edges);

        var s = AuHead.L2Normalize(functional.relu(sc));
        var scores = AuHead.L2Normalize(nodes).mul(s.unsqueeze(0)).sum(-1);                  // (B, J)
        var edgeLogits = edge_fc.call(edges);                                                  // (B, J², 4)
        return new MeflOutput(scores.MoveToOuterDisposeScope(), edgeLogits.MoveToOuterDisposeScope(),
            nodes.MoveToOuterDisposeScope(), edges.MoveToOuterDisposeScope());
    }
}

/// <summary>MEFL outputs. Tensors belong to the caller's dispose scope.</summary>
/// <param name="AuScores">Cosine AU scores <c>(B, J)</c> in [0, 1]; stage 0 sets AU1 = [s₀ &gt; 0.5], AU2 = [s₁ &gt; 0.5].</param>
/// <param name="EdgeLogits">edge_fc logits <c>(B, J², 4)</c> (used only in upstream training).</param>
/// <param name="Nodes">Node features after the GNN, <c>(B, J, C)</c>.</param>
/// <param name="Edges">Edge features after the GNN, <c>(B, J², C)</c>.</param>
public sealed record MeflOutput(Tensor AuScores, Tensor EdgeLogits, Tensor Nodes, Tensor Edges);
