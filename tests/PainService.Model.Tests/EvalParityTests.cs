using System.Text.Json;
using PainService.Model.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PainService.Model.Tests;

/// <summary>
/// Eval-mode parity with the authors' code (forward_eval.json, batch 2 and batch 1) for the formula weights and inputs.
/// Tolerance: 1e-4 relative; the measured maximum is printed.
/// </summary>
public sealed class EvalParityTests(PainNetFixture fixture, ITestOutputHelper output) : IClassFixture<PainNetFixture>
{
    [Theory]
    [InlineData("batch2", 2)]
    [InlineData("batch1", 1)]
    public void OutputsMatchTheReference(string section, int batch)
    {
        var golden = Golden.Json("forward_eval.json").GetProperty(section);
        var parity = new Parity(output);
        Models.UseGoldenThreads();                       // this test may run on another thread than the fixture's
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = Models.Input(batch);
        parity.Checksum("input", golden.GetProperty("input"), x);
        var result = fixture.Net.call(x);

        parity.AllClose("logits", golden.GetProperty("logits").Doubles(), Parity.Values(result.Logits));
        parity.AllClose("au_cl", golden.GetProperty("au_cl").Doubles(), Parity.Values(result.AuScores));
        Assert.Equal(golden.GetProperty("adjacency").Doubles(), Parity.Values(result.Adjacency));
        parity.AllClose("normalized_adjacency", golden.GetProperty("normalized_adjacency").Doubles(), Parity.Values(result.NormalizedAdjacency));
        parity.AllClose("topk.si", golden.GetProperty("topk").GetProperty("si").Doubles(), Parity.Values(result.Au.Graph.Similarity));
        parity.AllClose("fc_input_72", golden.GetProperty("fc_input_72").Doubles(), Parity.Values(result.FusionInput));
        parity.AllClose("fc_au_pre_relu", golden.GetProperty("fc_au_pre_relu").Doubles(), Parity.Values(result.AuWeightsPreRelu));

        var pe = golden.GetProperty("pe_score");
        var graphRep = Parity.Values(result.GraphRepresentation);
        for (var n = 0; n < batch; n++)
        {
            var row = graphRep.Skip(n * 512).Take(512).ToArray();
            parity.AllClose($"pe_score[{n}] first8", pe[n].GetProperty("first8").Doubles(), row.Take(8).ToArray());
            parity.Close($"pe_score[{n}] sum", pe[n].GetProperty("sum").GetDouble(), row.Sum());
            parity.Close($"pe_score[{n}] l2", pe[n].GetProperty("l2").GetDouble(), Math.Sqrt(row.Sum(v => v * v)));
        }

        var checksums = golden.GetProperty("checksums");
        var net = fixture.Net;
        var stem = net.backbone.Stem(x);
        var l1 = net.backbone.layer1.call(stem);
        var l2 = net.backbone.layer2.call(l1);
        var l3 = net.backbone.layer3.call(l2);
        var l4 = net.backbone.layer4.call(l3);
        var g = net.global_linear.call(result.Tokens);
        Check(parity, checksums, "backbone.maxpool", stem);
        Check(parity, checksums, "backbone.layer1", l1);
        Check(parity, checksums, "backbone.layer2", l2);
        Check(parity, checksums, "backbone.layer3", l3);
        Check(parity, checksums, "backbone.layer4 (NCHW", l4);
        Check(parity, checksums, "backbone output", result.Tokens);
        Check(parity, checksums, "global_linear output", g);
        Check(parity, checksums, "head.class_linears[0]", net.head.class_linears[0].call(g));
        Check(parity, checksums, "head.class_linears[7]", net.head.class_linears[7].call(g));
        Check(parity, checksums, "f_v = mean", result.Au.NodesIn);
        Check(parity, checksums, "GNN output", result.Au.Nodes);
        Check(parity, checksums, "fc_bb output before ReLU", result.TokenProjectionPreRelu);
        Check(parity, checksums, "fc_au output before ReLU", result.AuWeightsPreRelu);
        Check(parity, checksums, "fc_pe output before ReLU", result.GraphProjectionPreRelu);
        Check(parity, checksums, "fc input (B,72)", result.FusionInput);
        output.WriteLine($"{section}: max relative error {parity.MaxRelative:E3} ({parity.MaxWhat})");
    }

    [Fact]
    public void EveryGoldenAdjacencyRowHasExactlyThreeNeighboursAndScoresAreCosines()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var result = fixture.Net.call(Models.Input(2));
        Assert.True(result.Adjacency.sum(-1).eq(3).all().item<bool>());
        Assert.True(result.AuScores.ge(0).all().item<bool>() && result.AuScores.le(1).all().item<bool>());
        Assert.Equal(new long[] { 2, 3 }, result.Logits.shape);
        Assert.Equal(new long[] { 2, 36, 2048 }, result.Tokens.shape);
        Assert.Equal(new long[] { 2, 8, 512 }, result.Au.Nodes.shape);
        Assert.Equal(new long[] { 2, 512 }, result.GraphRepresentation.shape);
    }

    private static void Check(Parity parity, JsonElement checksums, string prefix, Tensor actual)
    {
        var match = checksums.EnumerateObject().Single(p => p.Name.StartsWith(prefix, StringComparison.Ordinal));
        parity.Checksum(match.Name, match.Value, actual);
    }
}
