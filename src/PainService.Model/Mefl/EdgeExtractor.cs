using PainService.Model.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model.Mefl;

/// <summary>
/// GEM, the edge-feature extractor (spec Appendix A): FAM attends from each AU map to the global map; for each ordered
/// pair e = i·J + j, ARM attends from AU j's map (query) to AU i's map (key/value); then edge_proj and BatchNorm2d(J²).
/// </summary>
internal sealed class EdgeExtractor : Module<Tensor, Tensor, Tensor>
{
    internal readonly CrossAttention FAM;
    internal readonly CrossAttention ARM;
    internal readonly Linear edge_proj;
    internal readonly GcSafeBatchNorm bn;

    public EdgeExtractor(long channels, long auCount) : base("edge_extractor")
    {
        FAM = new CrossAttention(nameof(FAM), channels);
        ARM = new CrossAttention(nameof(ARM), channels);
        edge_proj = Linear(channels, channels);
        bn = GcSafeBatchNorm.TwoD(auCount * auCount);
        RegisterComponents();
        using var _ = no_grad();
        init.normal_(edge_proj.weight, 0, Math.Sqrt(2.0 / channels));
    }

    /// <param name="auMaps">Per-AU maps <c>(B, J, P, C)</c>.</param>
    /// <param name="globalMap">The global map <c>(B, P, C)</c>.</param>
    /// <returns>Edge maps <c>(B, J², P, C)</c>.</returns>
    public override Tensor forward(Tensor auMaps, Tensor globalMap)
    {
        using var scope = NewDisposeScope();
        var (b, j, p, c) = (auMaps.shape[0], auMaps.shape[1], auMaps.shape[2], auMaps.shape[3]);
        var tiled = globalMap.unsqueeze(1).expand(b, j, p, c);                          // (B, J, P, C)
        var feat = FAM.call(auMaps, tiled);                                              // (B, J, P, C)
        var source = feat.unsqueeze(2).expand(b, j, j, p, c).reshape(b, j * j, p, c);    // e = i·J + j → feat[i]
        var target = feat.unsqueeze(1).expand(b, j, j, p, c).reshape(b, j * j, p, c);    // e = i·J + j → feat[j]
        var edges = ARM.call(target, source);                                            // query feat[j], key/value feat[i]
        return bn.call(edge_proj.call(edges)).MoveToOuterDisposeScope();
    }
}
