using PainService.Worker.Datasets;

namespace PainService.Worker.Tests.Datasets;

public sealed class LabelWeightsTests
{
    [Fact]
    public void FoldOneThreeLevelCountsGiveTheSpecWeights()
    {
        var w = LabelWeights.FromCounts([31_889L, 6_363L, 797L], 39_049L, ["NoPain", "Mild", "Obvious"]);

        Assert.Equal([0.0652, 0.3267, 2.6081], w.Select(v => Math.Round(v, 4)));
        Assert.Equal(3.0, w.Sum(), 12);
    }

    [Fact]
    public void FoldOneFourLevelCountsGiveTheSpecWeights()
    {
        var w = LabelWeights.FromCounts([31_889L, 2_675L, 1_887L, 2_598L], 39_049L, ["NoPain", "Weak", "Mild", "Strong"]);

        Assert.Equal([0.0950, 1.1328, 1.6058, 1.1664], w.Select(v => Math.Round(v, 4)));
    }

    [Fact]
    public void ColumnWithoutPositivesIsAnErrorNotADivisionByZero()
    {
        var e = Assert.Throws<InvalidOperationException>(() => LabelWeights.FromCounts([5L, 0L], 10L, ["AU1", "AU2"]));
        Assert.Contains("AU2", e.Message);
    }

    [Fact]
    public void UnknownAuLabelsCountNeitherAsRowsNorPositives()
    {
        // AU A: 1 positive of 2 known rows (the -1 row is ignored); AU B: 1 of 3.
        var w = LabelWeights.ForAuLabels([[1, 1], [0, 0], [-1, 0]], ["A", "B"]);

        Assert.Equal(2 * 2.0 / 5, w[0], 12);
        Assert.Equal(2 * 3.0 / 5, w[1], 12);
    }
}
