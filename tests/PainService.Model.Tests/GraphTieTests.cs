using PainService.Model.Graph;
using PainService.Model.Tests.Support;
using static TorchSharp.torch;

namespace PainService.Model.Tests;

/// <summary>graph_ties.json: ties at the K-th similarity add neighbours (≥ rule); Â uses row degrees on both sides.</summary>
public sealed class GraphTieTests
{
    [Fact]
    public void TiesGiveMoreThanKNeighboursAndRowDegreesNormaliseBothSides()
    {
        var golden = Golden.Json("graph_ties.json");
        var x = golden.GetProperty("X").Doubles().Select(v => (float)v).ToArray();
        using var scope = NewDisposeScope();
        using var nodes = tensor(x, [1, 8, 4]);
        using var graph = AuGraph.Build(nodes, neighbors: 3);

        Assert.Equal(golden.GetProperty("similarity").Doubles(), Parity.Values(graph.Similarity));
        Assert.Equal(golden.GetProperty("adjacency").Doubles(), Parity.Values(graph.Adjacency));
        Assert.Equal(golden.GetProperty("row_degrees").Doubles(), Parity.Values(graph.Adjacency.sum(-1)));
        Assert.True(graph.Adjacency.sum(-1).gt(3).any().item<bool>(), "a tied row must get more than K neighbours");
        // Computed as in spec §9, the entries are bit-identical to the reference's bmm(D, bmm(A, D)) form.
        Assert.Equal(golden.GetProperty("normalized_adjacency").Doubles(), Parity.Values(graph.Normalized));
    }
}
