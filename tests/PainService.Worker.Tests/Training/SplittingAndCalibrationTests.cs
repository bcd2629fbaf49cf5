using PainService.Model;
using PainService.Worker.Datasets;
using PainService.Worker.Training;

namespace PainService.Worker.Tests.Training;

public sealed class SplittingAndCalibrationTests
{
    private static UnbcSplit Split(params (string Path, float[] Au, double Pspi)[] rows) => new(
        new UnbcLayout("/nowhere"), DatasetSplit.Train, 1, PainScheme.ThreeLevel,
        rows.Select(r => r.Path).ToList(), rows.Select(r => r.Au).ToList(),
        rows.Select(r => PainScheme.ThreeLevel.ClassOfPspi(r.Pspi)).ToList(), rows.Select(r => r.Pspi).ToList());

    private static readonly float[] None = [0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly float[] Au4 = [0, 0, 1, 0, 0, 0, 0, 0];

    [Fact]
    public void ValidationSubjectsNeverAppearInTraining()
    {
        var rows = Enumerable.Range(0, 50).Select(i => ($"{i % 5:000}-s/t/{i:000}.png", Au4, (double)(i % 7))).ToArray();

        var (train, validation, held) = ValidationSplit.Carve(Split(rows), 0.2, seed: 3);

        Assert.Single(held);
        Assert.Empty(train.Subjects.Intersect(validation.Subjects));
        Assert.Equal(held, validation.Subjects);
        Assert.Equal((40, 10), (train.Count, validation.Count));
        Assert.Equal(held, ValidationSplit.Carve(Split(rows), 0.2, seed: 3).ValidationSubjects); // deterministic
    }

    [Fact]
    public void OneSubjectCannotBeSplit() =>
        Assert.Throws<InvalidOperationException>(() => ValidationSplit.Carve(Split(("001-a/t/1.png", Au4, 0)), 0.2, 0));

    [Fact]
    public void SftRulesDropFramesWithoutActiveAusAndAFractionOfLowPspi()
    {
        var rows = Enumerable.Range(0, 400).Select(i => ($"001-a/t/{i:000}.png", i % 4 == 0 ? None : Au4, i % 2 == 0 ? 0.0 : 6.0)).ToArray();
        var split = Split(rows);

        var kept = new SftSampling { DropFraction = 0.5 }.SelectRows(split, seed: 1);

        Assert.DoesNotContain(kept, i => i % 4 == 0);                 // no active AU → excluded
        Assert.Equal(200, kept.Count(i => i % 2 == 1));                // PSPI 6 frames all kept
        Assert.InRange(kept.Count(i => i % 2 == 0), 25, 75);           // ≈ half of the 100 PSPI-0 frames with AUs
        Assert.Equal(kept.Order(), kept);                              // list order kept
        Assert.Equal(300, new SftSampling().SelectRows(split, 1).Count);
    }

    [Fact]
    public void SftFrameListPicksRowsAndNamesUnknownPaths()
    {
        var split = Split(("001-a/t/1.png", Au4, 0), ("001-a/t/2.png", None, 0), ("002-b/t/1.png", Au4, 3));
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["002-b/t/1.png", "001-a/t/2.png"]);
            Assert.Equal([2, 1], new SftSampling { FrameList = file }.SelectRows(split, 0));

            File.WriteAllLines(file, ["002-b/t/1.png", "003-c/t/9.png"]);
            var e = Assert.Throws<DatasetFormatException>(() => new SftSampling { FrameList = file }.SelectRows(split, 0));
            Assert.Equal(2, e.Line);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void TemperatureFitCoolsOverconfidentLogitsAndKeepsArgmax()
    {
        // Logits 10× too sharp for labels that are right only 70 % of the time.
        var logits = new List<float[]>();
        var labels = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            logits.Add([20f, 0f]);
            labels.Add(i < 70 ? 0 : 1);
        }

        var t = TemperatureScaling.Fit(logits, labels);

        // The optimum makes softmax(20/T) = 0.7: T = 20 / ln(0.7/0.3).
        Assert.Equal(20 / Math.Log(0.7 / 0.3), t, 3);
        Assert.True(TemperatureScaling.Nll(logits, labels, t) < TemperatureScaling.Nll(logits, labels, 1));
    }
}
