using PainService.Model.Mefl;
using PainService.Model.Normalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PainService.Model.Tests;

/// <summary>
/// TorchSharp's own BatchNorm counts training batches through temporary Scalars that a garbage collection can free
/// under the native call (a training run died of it with "toLong at c10/core/Scalar.h"). These tests keep every
/// BatchNorm of our networks on <see cref="GcSafeBatchNorm"/> and prove it computes exactly what TorchSharp's does.
/// </summary>
public sealed class GcSafeBatchNormTests
{
    public static TheoryData<string> Networks => ["pain", "stage1", "mefl"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void EveryBatchNormOfTheNetworksIsTheGcSafeOne(string network)
    {
        var config = new GraphAuConfig { StemWidth = 16, NodeDim = 64, InputSize = 96, FusionWidth = 9 };
        using nn.Module net = network switch
        {
            "pain" => new GraphAuPainNet(config),
            "stage1" => new GraphAuNet(config),
            _ => new MeflNet(config),
        };
        var norms = net.named_modules().Where(m => m.module is NormBase).ToList();

        Assert.NotEmpty(norms);
        Assert.All(norms, m => Assert.True(m.module is GcSafeBatchNorm, $"{m.name} is a {m.module.GetType().Name}"));
    }

    [Theory]
    [InlineData(1, new long[] { 6, 4 }, false)]
    [InlineData(1, new long[] { 3, 4, 5 }, false)]
    [InlineData(2, new long[] { 2, 4, 3, 3 }, false)]
    [InlineData(2, new long[] { 2, 4, 3, 3 }, true)]
    public void TrainingAndEvalMatchTorchSharpsBatchNormExactly(int kind, long[] shape, bool cumulativeAverage)
    {
        using var ours = kind == 1 ? GcSafeBatchNorm.OneD(4) : GcSafeBatchNorm.TwoD(4);
        using BatchNorm theirs = kind == 1 ? nn.BatchNorm1d(4) : nn.BatchNorm2d(4);
        if (cumulativeAverage)
            (ours.momentum, theirs.momentum) = (null, null);
        using (no_grad())
        {
            ours.weight.copy_(tensor(new[] { 0.5f, 1f, 1.5f, 2f }));
            theirs.weight.copy_(ours.weight);
            ours.bias!.copy_(tensor(new[] { -0.1f, 0f, 0.1f, 0.2f }));
            theirs.bias!.copy_(ours.bias);
        }
        Assert.Equal(theirs.state_dict().Keys, ours.state_dict().Keys);

        for (var step = 0; step < 3; step++)
        {
            using var input = arange(shape.Aggregate(1L, (a, b) => a * b), dtype: float32).reshape(shape).sin().mul_(3 + step);
            using var expected = theirs.call(input);
            using var actual = ours.call(input);
            Assert.True(Same(expected, actual), $"training output differs at step {step}");
        }
        Assert.Equal((3L, 3L), (theirs.num_batches_tracked!.item<long>(), ours.num_batches_tracked!.item<long>()));
        Assert.True(Same(theirs.running_mean!, ours.running_mean!) && Same(theirs.running_var!, ours.running_var!), "running statistics differ");

        ours.eval();
        theirs.eval();
        using var probe = ones(shape);
        using var evalExpected = theirs.call(probe);
        using var evalActual = ours.call(probe);
        Assert.True(Same(evalExpected, evalActual), "eval output differs");
        Assert.Equal(3L, ours.num_batches_tracked!.item<long>()); // eval does not count
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    public void WrongInputRankIsRefusedWithTorchSharpsMessage(int kind, int rank)
    {
        using var ours = kind == 1 ? GcSafeBatchNorm.OneD(4) : GcSafeBatchNorm.TwoD(4);
        using BatchNorm theirs = kind == 1 ? nn.BatchNorm1d(4) : nn.BatchNorm2d(4);
        using var input = zeros([.. Enumerable.Repeat(4L, rank)]);
        var expected = Assert.Throws<ArgumentException>(() => theirs.call(input)).Message;
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => ours.call(input)).Message);
    }
}
