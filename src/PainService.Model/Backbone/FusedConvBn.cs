using PainService.Model.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PainService.Model.Backbone;

/// <summary>
/// A convolution with its eval-mode BatchNorm folded in: <c>w' = w·γ/√(σ²+ε)</c>, <c>b' = β − μ·γ/√(σ²+ε)</c>.
/// Serving only: the folded tensors are not module state (the state dict is unchanged) and BN statistics are frozen.
/// </summary>
internal sealed class FusedConvBn : IDisposable
{
    private readonly Tensor _weight;
    private readonly Tensor _bias;
    private readonly long[] _stride;
    private readonly long[] _padding;

    public FusedConvBn(Conv2d conv, GcSafeBatchNorm bn, long stride, long padding)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var eps = bn.eps.ToScalar();
        var scale = bn.weight!.div(bn.running_var!.add(eps, HeldScalars.One).sqrt()); // (C_out)
        _weight = conv.weight.mul(scale.view(-1, 1, 1, 1)).contiguous().MoveToOuterDisposeScope();
        _bias = (bn.bias! - bn.running_mean! * scale).MoveToOuterDisposeScope();
        _stride = [stride, stride];
        _padding = [padding, padding];
    }

    public Tensor Forward(Tensor x) => nn.functional.conv2d(x, _weight, _bias, strides: _stride, padding: _padding);

    public void Dispose()
    {
        _weight.Dispose();
        _bias.Dispose();
    }
}
