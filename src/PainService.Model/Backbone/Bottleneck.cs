using PainService.Model.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model.Backbone;

/// <summary>
/// torchvision ResNet v1.5 bottleneck: 1×1 → 3×3 (carries the stride) → 1×1 (×4 channels), each followed by BN;
/// the shortcut is <c>downsample = Sequential(conv 1×1 strided, BN)</c> when the shape changes.
/// Field order and names give the keys conv1, bn1, conv2, bn2, conv3, bn3, downsample.0/1.
/// </summary>
internal sealed class Bottleneck : Module<Tensor, Tensor>
{
    public const int Expansion = 4;

    internal readonly Conv2d conv1;
    internal readonly GcSafeBatchNorm bn1;
    internal readonly Conv2d conv2;
    internal readonly GcSafeBatchNorm bn2;
    internal readonly Conv2d conv3;
    internal readonly GcSafeBatchNorm bn3;
    internal readonly Sequential? downsample;
    private FusedConvBn[]? _fused;   // conv1+bn1, conv2+bn2, conv3+bn3[, downsample]
    private readonly long _stride;

    public Bottleneck(string name, long inplanes, long planes, long stride) : base(name)
    {
        var outplanes = planes * Expansion;
        _stride = stride;
        conv1 = Conv2d(inplanes, planes, kernel_size: 1, bias: false);
        bn1 = GcSafeBatchNorm.TwoD(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = GcSafeBatchNorm.TwoD(planes);
        conv3 = Conv2d(planes, outplanes, kernel_size: 1, bias: false);
        bn3 = GcSafeBatchNorm.TwoD(outplanes);
        if (stride != 1 || inplanes != outplanes)
            downsample = Sequential(Conv2d(inplanes, outplanes, kernel_size: 1, stride: stride, bias: false), GcSafeBatchNorm.TwoD(outplanes));
        RegisterComponents();
    }

    /// <summary>Folds each BatchNorm into its convolution for serving (eval only, one way).</summary>
    internal void Fuse()
    {
        _fused ??= new[]
        {
            new FusedConvBn(conv1, bn1, 1, 0),
            new FusedConvBn(conv2, bn2, _stride, 1),
            new FusedConvBn(conv3, bn3, 1, 0),
        }.Concat(downsample is null ? [] : [new FusedConvBn((Conv2d)downsample[0], (GcSafeBatchNorm)downsample[1], _stride, 0)]).ToArray();
    }

    public override Tensor forward(Tensor x)
    {
        if (_fused is not null)
            return FusedForward(x);
        // Intermediates are released as soon as they are consumed (autograd keeps what backward needs), so the peak
        // memory of a forward is a few feature maps, not every activation of the network.
        using var a = ConvBn(conv1, bn1, x).relu_();          // (B, planes, H, W)
        using var b = ConvBn(conv2, bn2, a).relu_();          // (B, planes, H/s, W/s)
        var outp = ConvBn(conv3, bn3, b);                     // (B, 4·planes, H/s, W/s)
        if (downsample is null)
            return outp.add_(x, HeldScalars.One).relu_();
        using var identity = downsample.call(x);
        return outp.add_(identity, HeldScalars.One).relu_();
    }

    internal static Tensor ConvBn(Conv2d conv, GcSafeBatchNorm bn, Tensor x)
    {
        using var c = conv.call(x);
        return bn.call(c);
    }

    private Tensor FusedForward(Tensor x)
    {
        if (training)
            throw new InvalidOperationException("A bottleneck with BatchNorm folded into its convolutions is for inference only.");
        using var a = _fused![0].Forward(x).relu_();
        using var b = _fused[1].Forward(a).relu_();
        var outp = _fused[2].Forward(b);
        if (_fused.Length == 3)
            return outp.add_(x, HeldScalars.One).relu_();
        using var identity = _fused[3].Forward(x);
        return outp.add_(identity, HeldScalars.One).relu_();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _fused is not null)
            foreach (var f in _fused)
                f.Dispose();
        base.Dispose(disposing);
    }
}
