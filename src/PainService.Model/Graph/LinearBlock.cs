using PainService.Model.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model.Graph;

/// <summary>
/// Row-wise <c>Linear(in, out)</c> → <c>BatchNorm1d(out)</c> over (batch × positions) → ReLU (spec §4.2).
/// Input and output are <c>(B, N, F)</c>. The reference's Dropout(p = 0) slot is a no-op and holds no state.
/// </summary>
internal sealed class LinearBlock : Module<Tensor, Tensor>
{
    internal readonly Linear fc;
    internal readonly GcSafeBatchNorm bn;

    public LinearBlock(long inFeatures, long outFeatures) : base(nameof(LinearBlock))
    {
        fc = Linear(inFeatures, outFeatures);
        bn = GcSafeBatchNorm.OneD(outFeatures);
        RegisterComponents();
        using var _ = no_grad();
        init.normal_(fc.weight, 0.0, Math.Sqrt(2.0 / outFeatures));
    }

    public override Tensor forward(Tensor x)
    {
        using var projected = fc.call(x);                    // (B, N, out)
        using var channelsFirst = projected.permute(0, 2, 1); // (B, out, N)
        using var normalised = bn.call(channelsFirst);
        return normalised.relu_().permute(0, 2, 1);           // (B, N, out)
    }
}
