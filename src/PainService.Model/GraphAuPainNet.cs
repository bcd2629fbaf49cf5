using PainService.Model.Backbone;
using PainService.Model.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model;

/// <summary>
/// GraphAU-Pain, the reference's <c>FullPictureMEFARG</c> (spec §4.5): backbone tokens weighted per position by
/// the AU scores (fc_au) and projected by fc_bb ("MatMult"), concatenated with the projected graph representation,
/// then one linear classifier. Field names give the reference's state_dict keys.
/// </summary>
public sealed class GraphAuPainNet : Module<Tensor, PainModelOutput>
{
    internal readonly ResNet50 backbone;
    internal readonly LinearBlock global_linear;
    internal readonly AuHead head;
    internal readonly Linear fc_au;
    internal readonly Linear fc_bb;
    internal readonly Linear fc_pe;
    internal readonly Linear fc;

    public GraphAuPainNet(GraphAuConfig config) : base("FullPictureMEFARG")
    {
        Config = config.ValidatePainModel();
        backbone = new ResNet50(config.StemWidth);
        global_linear = new LinearBlock(config.BackboneChannels, config.NodeDim);
        head = new AuHead(config);
        fc_au = Linear(config.AuCount, config.FusionWidth);
        fc_bb = Linear(config.BackboneChannels, config.FusionWidth);
        fc_pe = Linear(config.NodeDim, config.FusionWidth);
        fc = Linear(config.FusionInputWidth, config.ClassCount);
        RegisterComponents();
    }

    public GraphAuConfig Config { get; }

    /// <summary>
    /// Serving-time speed-up: folds the backbone's BatchNorms into its convolutions and switches to eval mode.
    /// One way: the model can no longer train. Call after moving the model to its device.
    /// </summary>
    public GraphAuPainNet FuseConvBnForInference()
    {
        eval();
        backbone.FuseConvBn();
        return this;
    }

    public override PainModelOutput forward(Tensor images)                 // (B, 3, S, S)
    {
        GraphAuNet.CheckInput(images, Config);
        var tokens = backbone.call(images);                                  // (B, P, C)
        using var x = global_linear.call(tokens);                            // (B, P, D)
        var au = head.call(x);                                               // scores (B, J), h_g (B, D)

        var auWeightsPre = fc_au.call(au.AuScores);                          // (B, P)
        var tokenProjectionPre = fc_bb.call(tokens);                         // (B, P, W)
        var graphProjectionPre = fc_pe.call(au.GraphRepresentation);         // (B, W)

        using var a = functional.relu(auWeightsPre).unsqueeze(1);            // (B, 1, P)
        using var bPrime = functional.relu(tokenProjectionPre);              // (B, P, W)
        using var mixed = bmm(a, bPrime);                                    // (B, 1, W)
        using var z = mixed.squeeze(1).relu_();                              // (B, W)
        using var g = functional.relu(graphProjectionPre);                   // (B, W)
        var fusionInput = cat([z, g], dim: -1);                              // (B, 2W)
        var logits = fc.call(fusionInput);                                   // (B, classes)
        return new PainModelOutput(logits, au, tokens, fusionInput, auWeightsPre, tokenProjectionPre, graphProjectionPre);
    }
}

/// <summary>Everything the pain model computed for a batch. Tensors belong to the caller's dispose scope.</summary>
/// <param name="Logits">Raw class logits <c>(B, classes)</c>; softmax only in the loss or the API.</param>
/// <param name="Au">AU scores, adjacency, normalised adjacency, node features and graph representation.</param>
/// <param name="Tokens">Backbone output <c>(B, P, C)</c>.</param>
/// <param name="FusionInput">Input of the final fc, <c>cat(ReLU(a·B'), ReLU(fc_pe(h_g)))</c>, <c>(B, 2W)</c>.</param>
/// <param name="AuWeightsPreRelu">fc_au output before its ReLU, <c>(B, P)</c>.</param>
/// <param name="TokenProjectionPreRelu">fc_bb output before its ReLU, <c>(B, P, W)</c>.</param>
/// <param name="GraphProjectionPreRelu">fc_pe output before its ReLU, <c>(B, W)</c>.</param>
public sealed record PainModelOutput(
    Tensor Logits, AuGraphOutput Au, Tensor Tokens, Tensor FusionInput,
    Tensor AuWeightsPreRelu, Tensor TokenProjectionPreRelu, Tensor GraphProjectionPreRelu)
{
    public Tensor AuScores => Au.AuScores;
    public Tensor Adjacency => Au.Adjacency;
    public Tensor NormalizedAdjacency => Au.NormalizedAdjacency;
    public Tensor GraphRepresentation => Au.GraphRepresentation;
}
