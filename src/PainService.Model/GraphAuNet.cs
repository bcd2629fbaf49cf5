using PainService.Model.Backbone;
using PainService.Model.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model;

/// <summary>
/// The stage-1 AU model, the reference's <c>MEFARG</c> (ANFL, spec §4.4): backbone → global_linear → AU head.
/// It shares module classes and key names with <see cref="GraphAuPainNet"/>, so its checkpoint initialises the pain model.
/// </summary>
public sealed class GraphAuNet : nn.Module<Tensor, AuGraphOutput>
{
    internal readonly ResNet50 backbone;
    internal readonly LinearBlock global_linear;
    internal readonly AuHead head;

    public GraphAuNet(GraphAuConfig config) : base("MEFARG")
    {
        Config = config.ValidateAuModel();
        backbone = new ResNet50(config.StemWidth);
        global_linear = new LinearBlock(config.BackboneChannels, config.NodeDim);
        head = new AuHead(config);
        RegisterComponents();
    }

    public GraphAuConfig Config { get; }

    public override AuGraphOutput forward(Tensor images)
    {
        CheckInput(images, Config);
        using var tokens = backbone.call(images);               // (B, P, C)
        using var x = global_linear.call(tokens);               // (B, P, D)
        return head.call(x);
    }

    internal static void CheckInput(Tensor images, GraphAuConfig config)
    {
        var shape = images.shape;
        if (shape.Length != 4 || shape[1] != 3 || shape[2] != config.InputSize || shape[3] != config.InputSize)
            throw new ArgumentException(
                $"Expected images of shape (B, 3, {config.InputSize}, {config.InputSize}), got ({string.Join(", ", shape)}).", nameof(images));
    }
}
