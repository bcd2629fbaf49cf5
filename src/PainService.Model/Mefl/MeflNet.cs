using PainService.Model.Backbone;
using PainService.Model.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Mefl;

/// <summary>
/// ME-GraphAU's full MEFL model (upstream <c>model/MEFL.py</c> MEFARG, ResNet-50), the DISFA AU detector of stage 0
/// (spec §2.4, Appendix A). Keys match the released checkpoints (<c>state_dict_keys_mefl.tsv</c>). Device-agnostic:
/// unlike the upstream GNN, nothing here assumes a GPU or a CPU.
/// </summary>
public sealed class MeflNet : nn.Module<Tensor, MeflOutput>
{
    internal readonly ResNet50 backbone;
    internal readonly LinearBlock global_linear;
    internal readonly MeflHead head;

    public MeflNet(GraphAuConfig config) : base("MEFL")
    {
        Config = config.ValidateAuModel();
        backbone = new ResNet50(config.StemWidth);
        global_linear = new LinearBlock(config.BackboneChannels, config.NodeDim);
        head = new MeflHead(config);
        RegisterComponents();
    }

    public GraphAuConfig Config { get; }

    public override MeflOutput forward(Tensor images)
    {
        GraphAuNet.CheckInput(images, Config);
        using var tokens = backbone.call(images);               // (B, P, 2048)
        using var x = global_linear.call(tokens);               // (B, P, 512)
        return head.call(x);
    }
}
