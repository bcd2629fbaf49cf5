using PainService.Model.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model.Graph;

/// <summary>
/// The ANFL graph layer (spec §4.3 steps 2–4, §9): a top-K dot-product graph built without gradient, its
/// D^-1/2·A·D^-1/2 normalisation with row degrees on both sides, and
/// <c>F ← ReLU(F + bnv(Â·V(F) + U(F)))</c>. V carries the neighbour messages, U the self term (Q15).
/// </summary>
internal sealed class AuGraphConv : Module<Tensor, Tensor>
{
    internal readonly Linear U;
    internal readonly Linear V;
    internal readonly GcSafeBatchNorm bnv;
    private readonly int _neighbors;

    public AuGraphConv(long nodeDim, long nodeCount, int neighbors) : base("gnn")
    {
        U = Linear(nodeDim, nodeDim);
        V = Linear(nodeDim, nodeDim);
        bnv = GcSafeBatchNorm.OneD(nodeCount);
        _neighbors = neighbors;
        RegisterComponents();
        using var _ = no_grad();
        init.normal_(U.weight, 0.0, Math.Sqrt(2.0 / nodeDim));
        init.normal_(V.weight, 0.0, Math.Sqrt(2.0 / nodeDim));
    }

    /// <summary>Runs the layer and also returns the graph it used.</summary>
    public (Tensor Nodes, AuGraph Graph) Propagate(Tensor nodes)
    {
        var graph = AuGraph.Build(nodes, _neighbors);
        using var messages = V.call(nodes);                       // (B, J, D)
        using var aggregate = bmm(graph.Normalized, messages);    // (B, J, D)
        using var self = U.call(nodes);
        var update = bnv.call(aggregate.add_(self, HeldScalars.One)); // BN over the node axis
        return (update.add_(nodes, HeldScalars.One).relu_(), graph);   // in place: update is the result
    }

    public override Tensor forward(Tensor nodes)
    {
        var (output, graph) = Propagate(nodes);
        graph.Dispose();
        return output;
    }
}

/// <summary>The dynamic AU graph of one forward: raw similarities, 0/1 adjacency and its normalisation.</summary>
public sealed class AuGraph : IDisposable
{
    private static readonly Scalar MinusHalf = (-0.5).ToScalar(); // held for the life of the process (see HeldScalars)

    private AuGraph(Tensor similarity, Tensor adjacency, Tensor normalized)
    {
        Similarity = similarity;
        Adjacency = adjacency;
        Normalized = normalized;
    }

    /// <summary><c>S = F·Fᵀ</c> on detached node features, <c>(B, J, J)</c>.</summary>
    public Tensor Similarity { get; }

    /// <summary><c>A[i, j] = 1</c> when <c>S[i, j] ≥</c> the K-th largest value of row i (ties add neighbours), float 0/1.</summary>
    public Tensor Adjacency { get; }

    /// <summary><c>Â = A · d_i^-1/2 · d_j^-1/2</c> with d the row degrees (used on both sides, spec Q16).</summary>
    public Tensor Normalized { get; }

    public static AuGraph Build(Tensor nodes, int neighbors)
    {
        using var _ = no_grad();
        using var f = nodes.detach();                                          // (B, J, D)
        using var ft = f.transpose(1, 2);
        var similarity = bmm(f, ft);                                           // (B, J, J)
        var (values, indices) = similarity.topk(neighbors, dim: -1, largest: true);
        using (values)
        using (indices)
        using (var threshold = values[.., .., ^1].unsqueeze(-1))               // K-th largest per row, (B, J, 1)
        using (var mask = similarity.ge(threshold))
        {
            var adjacency = mask.to_type(ScalarType.Float32);
            return new AuGraph(similarity, adjacency, Normalize(adjacency));
        }
    }

    /// <summary>Spec §9: <c>Adj * d^-1/2[:, :, None] * d^-1/2[:, None, :]</c>, bit-close to the reference's bmm form.</summary>
    public static Tensor Normalize(Tensor adjacency)
    {
        using var degrees = adjacency.sum(-1);                 // (B, J), ≥ 1 thanks to the diagonal
        using var inv = degrees.pow(MinusHalf);
        using var rows = inv.unsqueeze(-1);                    // d_i^-1/2
        using var cols = inv.unsqueeze(-2);                    // d_j^-1/2
        var normalized = adjacency.mul(rows);
        return normalized.mul_(cols);
    }

    public void Dispose()
    {
        Similarity.Dispose();
        Adjacency.Dispose();
        Normalized.Dispose();
    }
}
