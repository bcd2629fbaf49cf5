using PainService.Model.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model.Mefl;

/// <summary>
/// ME-GraphAU's gated GNN with multi-dimensional edge features, two layers (spec Appendix A). Per layer ℓ:
/// <c>E_ij += ReLU(bneℓ(Aℓ F_i + Bℓ F_j + Eℓ E_ij))</c>; <c>g = softmax_j(sigmoid(E))</c> per channel;
/// <c>F_i ← ReLU(F_i + bnvℓ(Uℓ F_i + (1/J) Σ_j g_ij ⊙ Vℓ F_j))</c>. All linears are bias-free.
/// </summary>
internal sealed class GatedGraphConv : Module<Tensor, Tensor, (Tensor Nodes, Tensor Edges)>
{
    internal readonly Linear U1, V1, A1, B1, E1, U2, V2, A2, B2, E2;
    internal readonly GcSafeBatchNorm bnv1, bne1, bnv2, bne2;
    private readonly long _auCount;

    public GatedGraphConv(long channels, long auCount) : base("gnn")
    {
        Linear Make() => Linear(channels, channels, hasBias: false);
        (U1, V1, A1, B1, E1) = (Make(), Make(), Make(), Make(), Make());
        (U2, V2, A2, B2, E2) = (Make(), Make(), Make(), Make(), Make());
        bnv1 = GcSafeBatchNorm.OneD(auCount);
        bne1 = GcSafeBatchNorm.OneD(auCount * auCount);
        bnv2 = GcSafeBatchNorm.OneD(auCount);
        bne2 = GcSafeBatchNorm.OneD(auCount * auCount);
        _auCount = auCount;
        RegisterComponents();
        using var _ = no_grad();
        foreach (var linear in new[] { U1, V1, A1, B1, E1, U2, V2, A2, B2, E2 })
            init.normal_(linear.weight, 0, Math.Sqrt(2.0 / channels));
    }

    /// <param name="nodes"><c>(B, J, C)</c>.</param>
    /// <param name="edges"><c>(B, J², C)</c>, edge e = i·J + j.</param>
    public override (Tensor Nodes, Tensor Edges) forward(Tensor nodes, Tensor edges)
    {
        using var scope = NewDisposeScope();
        (nodes, edges) = Layer(nodes, edges, U1, V1, A1, B1, E1, bnv1, bne1);
        (nodes, edges) = Layer(nodes, edges, U2, V2, A2, B2, E2, bnv2, bne2);
        return (nodes.MoveToOuterDisposeScope(), edges.MoveToOuterDisposeScope());
    }

    private (Tensor Nodes, Tensor Edges) Layer(Tensor x, Tensor edge, Linear u, Linear v, Linear a, Linear bLin, Linear e, GcSafeBatchNorm bnv, GcSafeBatchNorm bne)
    {
        var (b, j, c) = (x.shape[0], _auCount, x.shape[2]);
        var fromI = a.call(x).unsqueeze(2).expand(b, j, j, c).reshape(b, j * j, c);    // A·F_i for e = (i, j)
        var fromJ = bLin.call(x).unsqueeze(1).expand(b, j, j, c).reshape(b, j * j, c); // B·F_j
        var edgeSum = fromI.add(fromJ, HeldScalars.One).add_(e.call(edge), HeldScalars.One);
        edge = edge.add(bne.call(edgeSum).relu(), HeldScalars.One);                      // (B, J², C)

        var gate = edge.sigmoid().view(b, j, j, c).softmax(2);                         // over j, per channel
        var messages = v.call(x).unsqueeze(1);                                         // V·F_j, (B, 1, J, C)
        var aggregate = (gate * messages).mean([2]);                                   // (B, J, C): Σ_j / J
        var update = u.call(x).add_(aggregate, HeldScalars.One);
        return (x.add(bnv.call(update), HeldScalars.One).relu(), edge);
    }
}
