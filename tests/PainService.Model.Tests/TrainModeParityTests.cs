using PainService.Model.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PainService.Model.Tests;

/// <summary>Train-mode forward (BatchNorm with batch statistics) against train_step.json → forward, 4 images.</summary>
public sealed class TrainModeParityTests(ITestOutputHelper output)
{
    [Fact]
    public void TrainModeForwardMatchesTheReference()
    {
        var golden = Golden.Json("train_step.json").GetProperty("forward");
        var parity = new Parity(output);
        using var net = Models.FormulaPainNet();
        net.train();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = Models.Input(4);
        var result = net.call(x);

        parity.AllClose("logits_train_mode", golden.GetProperty("logits_train_mode").Doubles(), Parity.Values(result.Logits));
        parity.AllClose("au_cl_train_mode", golden.GetProperty("au_cl_train_mode").Doubles(), Parity.Values(result.AuScores));
        Assert.Equal(golden.GetProperty("adjacency_train_mode").Doubles(), Parity.Values(result.Adjacency));
        parity.AllClose("topk si", golden.GetProperty("topk_train_mode").GetProperty("si").Doubles(), Parity.Values(result.Au.Graph.Similarity));
        var peSums = golden.GetProperty("pe_score_sum_train_mode").Doubles();
        var graphRep = Parity.Values(result.GraphRepresentation);
        for (var n = 0; n < 4; n++)
            parity.Close($"pe_score sum [{n}]", peSums[n], graphRep.Skip(n * 512).Take(512).Sum());

        // Batch statistics do not depend on the running stats, so the stages can be re-run for their checksums.
        var c = golden.GetProperty("checksums_train_mode");
        var layer1 = net.backbone.layer1.call(net.backbone.Stem(x));
        var g = net.global_linear.call(result.Tokens);
        parity.Checksum("backbone.layer1", c.GetProperty("backbone.layer1"), layer1);
        parity.Checksum("backbone", c.GetProperty("backbone"), result.Tokens);
        parity.Checksum("global_linear", c.GetProperty("global_linear"), g);
        parity.Checksum("head.class_linears.0", c.GetProperty("head.class_linears.0"), net.head.class_linears[0].call(g));
        parity.Checksum("gnn_in", c.GetProperty("gnn_in"), result.Au.NodesIn);
        parity.Checksum("head.gnn", c.GetProperty("head.gnn"), result.Au.Nodes);
        parity.Checksum("fc_bb", c.GetProperty("fc_bb"), result.TokenProjectionPreRelu);
        parity.Checksum("fc_in", c.GetProperty("fc_in"), result.FusionInput);
        output.WriteLine($"train-mode forward: max relative error {parity.MaxRelative:E3} ({parity.MaxWhat})");
    }
}
