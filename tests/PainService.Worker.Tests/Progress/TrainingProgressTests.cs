using Microsoft.Extensions.Time.Testing;
using PainService.Worker.Progress;

namespace PainService.Worker.Tests.Progress;

public sealed class TrainingProgressTests
{
    [Fact]
    public void PlainModePrintsPeriodicLinesWithLossAndNoCarriageReturns()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var updates = new List<double>();
        var progress = new TrainingProgress(output, live: false, time) { PlainInterval = TimeSpan.FromSeconds(10), OnUpdate = (_, f, _) => updates.Add(f) };

        progress.Start("epoch 1/2", 4);
        progress.Step(8, 1.0);
        time.Advance(TimeSpan.FromSeconds(11));
        progress.Step(8, 3.0);
        progress.Step(8, 2.0); // within the interval: no line
        var mean = progress.Finish("val F1 0.5");

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("epoch 1/2 2/4 (50%) loss 2.0000", lines[0]);
        Assert.Contains("ETA", lines[0]);
        Assert.EndsWith("| val F1 0.5", lines[1].TrimEnd());
        Assert.DoesNotContain('\r', output.ToString());
        Assert.Equal(2.0, mean);
        Assert.Equal([0.25, 0.5, 0.75], updates);
    }

    [Fact]
    public void LiveModeRedrawsOneLineWithABar()
    {
        var output = new StringWriter();
        var progress = new TrainingProgress(output, live: true);

        progress.Start("sft", 2);
        progress.Step(4, 0.5);

        Assert.StartsWith("\rsft [############............] 1/2 (50%) loss 0.5000", output.ToString());
    }

    [Fact]
    public void APhaseWithoutLossesPrintsNoLoss()
    {
        var output = new StringWriter();
        var progress = new TrainingProgress(output, live: false);

        progress.Start("predict 240 frames", 2);
        progress.Step(8);
        progress.Step(8);
        progress.Finish();

        Assert.StartsWith("predict 240 frames 2/2 (100%) ", output.ToString());
        Assert.DoesNotContain("loss", output.ToString());
        Assert.True(double.IsNaN(progress.MeanLoss));
    }
}
