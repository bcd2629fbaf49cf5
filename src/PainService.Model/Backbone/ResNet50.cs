using PainService.Model.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PainService.Model.Backbone;

/// <summary>
/// ResNet-50 without avgpool/fc (spec §4.1). Returns the layer4 map as tokens <c>(B, P, C)</c> with
/// position p = row·side + col; P = 36 and C = 2048 for a 172-px input.
/// </summary>
internal sealed class ResNet50 : Module<Tensor, Tensor>
{
    private static readonly int[] BlocksPerStage = [3, 4, 6, 3];

    internal readonly Conv2d conv1;
    internal readonly GcSafeBatchNorm bn1;
    internal readonly MaxPool2d maxpool;
    internal readonly Sequential layer1;
    internal readonly Sequential layer2;
    internal readonly Sequential layer3;
    internal readonly Sequential layer4;
    private FusedConvBn? _fusedStem;

    public ResNet50(int stemWidth = 64) : base("backbone")
    {
        conv1 = Conv2d(3, stemWidth, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = GcSafeBatchNorm.TwoD(stemWidth);
        maxpool = MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        long inplanes = stemWidth;
        layer1 = MakeLayer(ref inplanes, stemWidth, BlocksPerStage[0], stride: 1);
        layer2 = MakeLayer(ref inplanes, stemWidth * 2, BlocksPerStage[1], stride: 2);
        layer3 = MakeLayer(ref inplanes, stemWidth * 4, BlocksPerStage[2], stride: 2);
        layer4 = MakeLayer(ref inplanes, stemWidth * 8, BlocksPerStage[3], stride: 2);
        RegisterComponents();
        Initialize();
    }

    /// <summary>The stem: conv 7×7/2 → BN → ReLU → maxpool 3×3/2.</summary>
    internal Tensor Stem(Tensor x)
    {
        if (_fusedStem is not null && training)
            throw new InvalidOperationException("A backbone with BatchNorm folded into its convolutions is for inference only.");
        using var c = (_fusedStem is null ? Bottleneck.ConvBn(conv1, bn1, x) : _fusedStem.Forward(x)).relu_();
        return maxpool.call(c);
    }

    /// <summary>The layer4 map <c>(B, C, side, side)</c>, before flattening.</summary>
    internal Tensor FeatureMap(Tensor x)
    {
        using var s = Stem(x);
        using var l1 = layer1.call(s);
        using var l2 = layer2.call(l1);
        using var l3 = layer3.call(l2);
        return layer4.call(l3);
    }

    public override Tensor forward(Tensor x)
    {
        using var map = FeatureMap(x);                                   // (B, C, h, w)
        var (b, c) = (map.shape[0], map.shape[1]);
        return map.view(b, c, -1).permute(0, 2, 1);                     // (B, h·w, C)
    }

    /// <summary>Folds every BatchNorm into the preceding convolution (serving only; call after moving to the device).</summary>
    internal void FuseConvBn()
    {
        _fusedStem ??= new FusedConvBn(conv1, bn1, stride: 2, padding: 3);
        foreach (var layer in new[] { layer1, layer2, layer3, layer4 })
            foreach (var block in layer.children().Cast<Bottleneck>())
                block.Fuse();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _fusedStem?.Dispose();
        base.Dispose(disposing);
    }

    private static Sequential MakeLayer(ref long inplanes, long planes, int blocks, long stride)
    {
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        for (var i = 0; i < blocks; i++)
        {
            modules.Add((i.ToString(), new Bottleneck($"block{i}", inplanes, planes, i == 0 ? stride : 1)));
            inplanes = planes * Bottleneck.Expansion;
        }
        return Sequential(modules);
    }

    /// <summary>torchvision's init: Kaiming-normal (fan_out, ReLU) convs, BN weight 1 and bias 0.</summary>
    private void Initialize()
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
                    break;
                case GcSafeBatchNorm bn:
                    init.ones_(bn.weight);
                    init.zeros_(bn.bias);
                    break;
            }
        }
    }
}
