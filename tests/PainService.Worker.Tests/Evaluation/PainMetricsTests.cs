using PainService.Model;
using PainService.Worker.Evaluation;

namespace PainService.Worker.Tests.Evaluation;

public sealed class PainMetricsTests
{
    private static double Pct(double fraction) => Math.Round(100 * fraction, 2);

    [Fact]
    public void PaperMatrixReproducesTableTwo()
    {
        var m = PainMetrics.Compute(new ConfusionMatrix([[7558, 581, 1], [493, 583, 35], [45, 3, 50]]), PainScheme.ThreeLevel.Labels());

        Assert.Equal([93.10, 51.19, 54.35], m.Classes.Select(c => Pct(c.F1)));
        Assert.Equal([92.85, 52.48, 51.02], m.Classes.Select(c => Pct(c.Recall)));
        Assert.Equal([93.35, 49.96, 58.14], m.Classes.Select(c => Pct(c.Precision)));
        Assert.Equal([8140L, 1111L, 98L], m.Classes.Select(c => c.Support));
        Assert.Equal(["NoPain", "Mild", "Obvious"], m.Classes.Select(c => c.Name));
        Assert.Equal(66.21, Pct(m.Macro.F1));
        Assert.Equal(65.45, Pct(m.Macro.Recall));
        Assert.Equal(67.15, Pct(m.Macro.Precision));
        Assert.Equal(8191.0 / 9349, m.Accuracy, 12);
        Assert.Equal(87.61, Pct(m.Accuracy));
        Assert.Equal([88.02, 88.11, 99.10], m.Classes.Select(c => Pct(c.OneVsRestAccuracy)));
        Assert.Equal(91.74, Pct(m.MeanOneVsRestAccuracy));
    }

    [Fact]
    public void CorrectedFourLevelMatrixReproducesTableThree()
    {
        var m = PainMetrics.Compute(
            new ConfusionMatrix([[7089, 67, 482, 502], [120, 0, 0, 114], [106, 0, 222, 136], [70, 0, 48, 393]]),
            PainScheme.FourLevel.Labels());

        Assert.Equal([91.32, 0.00, 36.51, 47.46], m.Classes.Select(c => Pct(c.F1)));
        Assert.Equal([87.09, 0.00, 47.84, 76.91], m.Classes.Select(c => Pct(c.Recall)));
        Assert.Equal([95.99, 0.00, 29.52, 34.32], m.Classes.Select(c => Pct(c.Precision)));
        Assert.Equal(82.40, Pct(m.Accuracy));
        Assert.Equal(43.83, Pct(m.Macro.F1));
        Assert.Equal(52.96, Pct(m.Macro.Recall));
        Assert.Equal(39.96, Pct(m.Macro.Precision));
    }

    [Fact]
    public void AblationMatricesGiveTheirOverallAccuracy()
    {
        var names = PainScheme.ThreeLevel.Labels();
        Assert.Equal(79.64, Pct(PainMetrics.Compute(new ConfusionMatrix([[6580, 1552, 8], [270, 816, 25], [11, 37, 50]]), names).Accuracy));
        Assert.Equal(57.51, Pct(PainMetrics.Compute(new ConfusionMatrix([[4603, 2998, 539], [295, 759, 57], [61, 22, 15]]), names).Accuracy));
    }

    [Fact]
    public void ConfusionFromLabelsPutsActualInRows()
    {
        var m = ConfusionMatrix.FromLabels([0, 0, 1, 2], [0, 1, 1, 0], 3);

        Assert.Equal(1, m[0, 1]);
        Assert.Equal(1, m[2, 0]);
        Assert.Equal(0, m[1, 0]);
        Assert.Equal(4, m.Total);
    }

    [Fact]
    public void ArgMaxTieGoesToTheFirstClass() => Assert.Equal(1, ConfusionMatrix.ArgMax([0.1f, 0.7f, 0.7f]));

    [Fact]
    public void EmptyMatrixIsRejected() =>
        Assert.Throws<ArgumentException>(() => PainMetrics.Compute(new ConfusionMatrix([[0, 0], [0, 0]]), PainScheme.Binary.Labels()));
}
