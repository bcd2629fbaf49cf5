using PainService.Model.Training;
using static TorchSharp.torch;

namespace PainService.Model.Tests;

public sealed class LossAndScheduleTests
{
    [Fact]
    public void WeightedCrossEntropyNormalisesByBatchSize()
    {
        using var logits = tensor(new float[] { 0, 0, 0, 2, 0, 0 }, [2, 3]);
        using var y = tensor(new float[] { 1, 0, 0, 0, 0, 1 }, [2, 3]);
        using var w = tensor(new float[] { 0.5f, 1, 2 });
        var p0 = 1.0 / 3;
        var p1 = 1 / (Math.Exp(2) + 2);
        var expected = (0.5 * -Math.Log(p0) + 2 * -Math.Log(p1)) / 2;
        Assert.Equal(expected, PainLosses.WeightedCrossEntropy(logits, y, w).item<float>(), 5);
    }

    [Fact]
    public void WeightedAsymmetricLossMatchesTheFormulaAndMasksUnknownLabels()
    {
        using var p = tensor(new float[] { 0.8f, 0.3f, 0.6f, 0.1f }, [2, 2]);
        using var y = tensor(new float[] { 1, 0, 0, -1 }, [2, 2]);
        using var w = tensor(new float[] { 1, 2 });
        // entries: (1·log .8), (2·.3·log .7), (1·.6·log .4); the −1 entry is left out; mean over 3 known entries.
        var expected = -(Math.Log(0.8) + 2 * 0.3 * Math.Log(0.7) + 0.6 * Math.Log(0.4)) / 3;
        Assert.Equal(expected, PainLosses.WeightedAsymmetricLoss(p, y, w).item<float>(), 5);

        using var all = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        var reference = -((Math.Log(0.8) + 2 * 0.3 * Math.Log(0.7)) / 2 + (0.6 * Math.Log(0.4) + 2 * Math.Log(0.1)) / 2) / 2;
        Assert.Equal(reference, PainLosses.WeightedAsymmetricLoss(p, all, w).item<float>(), 5);
    }

    [Fact]
    public void TheNegativeTermIsWeightedByADetachedProbability()
    {
        using var p = tensor(new float[] { 0.3f }, [1, 1], requires_grad: true);
        using var y = zeros(1, 1);
        using var w = ones(1);
        PainLosses.WeightedAsymmetricLoss(p, y, w).backward();
        // d/dp −sg(p)·log(1 − p) = p / (1 − p) with p held constant in the factor.
        Assert.Equal(0.3 / 0.7, p.grad!.item<float>(), 5);
    }

    [Fact]
    public void CosineScheduleReproducesTheSpecTable()
    {
        var s = new CosineSchedule(1e-4, Epochs: 20, IterationsPerEpoch: 611);
        Assert.Equal(1.0000e-4, s.At(0, 0), 8);
        Assert.Equal(9.9384e-5, s.At(1, 0), 8);
        Assert.Equal(9.0451e-5, s.At(4, 0), 8);
        Assert.Equal(6.5463e-5, s.At(7, 610), 8);
        Assert.Equal(611, CosineSchedule.Iterations(39_049, 64));
    }

    [Fact]
    public void ClassWeightsFromTheFoldOneCountsAndTheZeroRateGuard()
    {
        var w = ClassWeights.FromRates([31_889 / 39_049.0, 6_363 / 39_049.0, 797 / 39_049.0]);
        Assert.Equal([0.0652, 0.3267, 2.6081], w.Select(v => Math.Round(v, 4)));
        Assert.Equal(3.0, w.Sum(), 12);
        double[] golden = [0.08875739644970414, 0.485207100591716, 2.42603550295858];   // train_step.json, before %f rounding
        var fromRates = ClassWeights.FromRates([0.82, 0.15, 0.03]);
        for (var k = 0; k < 3; k++)
            Assert.Equal(golden[k], fromRates[k], 14);
        Assert.Throws<InvalidOperationException>(() => ClassWeights.FromRates([0.5, 0.0]));
    }
}
