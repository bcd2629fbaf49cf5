using static TorchSharp.torch;

namespace PainService.Model.Graph;

/// <summary>What the AU head computed for a batch. Tensors belong to the caller's dispose scope.</summary>
/// <param name="AuScores">Cosine AU scores <c>(B, J)</c> in [0, 1], used directly as probabilities (spec Q17).</param>
/// <param name="Graph">Similarity, 0/1 adjacency and normalised adjacency, each <c>(B, J, J)</c>.</param>
/// <param name="NodesIn">Node features before the graph layer (mean of the per-AU blocks), <c>(B, J, D)</c>.</param>
/// <param name="Nodes">Node features after the graph layer, <c>(B, J, D)</c>.</param>
/// <param name="GraphRepresentation">Sum of the updated nodes, <c>(B, D)</c> (the reference's pe_score).</param>
public sealed record AuGraphOutput(Tensor AuScores, AuGraph Graph, Tensor NodesIn, Tensor Nodes, Tensor GraphRepresentation)
{
    public Tensor Adjacency => Graph.Adjacency;
    public Tensor NormalizedAdjacency => Graph.Normalized;
}
