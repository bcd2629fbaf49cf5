using PainService.Model.Mefl;
using PainService.Model.Tests.Support;
using PainService.Model.Weights;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PainService.Model.Tests;

/// <summary>ME-GraphAU's MEFL model (stage-0 relabelling): keys (state_dict_keys_mefl.tsv) and eval outputs (forward_mefl.json).</summary>
public sealed class MeflParityTests(ITestOutputHelper output)
{
    [Fact]
    public void KeysShapesAndOrderMatchTheReleasedCheckpoints()
    {
        var expected = Golden.Keys("state_dict_keys_mefl.tsv");
        using var net = new MeflNet(new GraphAuConfig());
        var sd = net.state_dict();
        Assert.Equal(expected.Select(e => e.Key).Order(StringComparer.Ordinal), sd.Keys.Order(StringComparer.Ordinal));
        foreach (var e in expected)
            Assert.True(e.Shape.SequenceEqual(sd[e.Key].shape), e.Key);
        var parameterKeys = net.named_parameters().Select(p => p.name).ToList();
        var bufferKeys = net.named_buffers().Select(b => b.name).ToList();
        Assert.Equal(expected.Select(e => e.Key).Where(parameterKeys.Contains), parameterKeys);
        Assert.Equal(expected.Select(e => e.Key).Where(bufferKeys.Contains), bufferKeys);
    }

    [Fact]
    public void EvalOutputsMatchTheReference()
    {
        Models.UseGoldenThreads();
        var golden = Golden.Json("forward_mefl.json");
        var parity = new Parity(output);
        using var net = FormulaWeights.Apply(new MeflNet(new GraphAuConfig()));
        net.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var result = net.call(Models.Input(2));

        parity.AllClose("cl (AU scores)", golden.GetProperty("cl_au_scores").Doubles(), Parity.Values(result.AuScores));
        Assert.Equal(golden.GetProperty("cl_edge_logits_shape").Longs(), result.EdgeLogits.shape);
        var edges = Parity.Values(result.EdgeLogits);
        parity.AllClose("cl_edge first 8 rows of image 0", golden.GetProperty("cl_edge_first_8_rows_image0").Doubles(), edges.Take(32).ToArray());
        var l2 = Math.Sqrt(edges.Sum(v => v * v));
        parity.Close("cl_edge sum", golden.GetProperty("cl_edge_sum").GetDouble(), edges.Sum(), floor: l2);
        parity.Close("cl_edge l2", golden.GetProperty("cl_edge_l2").GetDouble(), l2);
        output.WriteLine($"MEFL: max relative error {parity.MaxRelative:E3} ({parity.MaxWhat})");
    }
}
