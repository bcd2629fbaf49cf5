using System.Security.Cryptography;
using PainService.Model;
using PainService.Worker.Datasets;
using PainService.Worker.Synthetic;
using SkiaSharp;

namespace PainService.Worker.Tests.Synthetic;

public sealed class SyntheticDatasetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly SynthOptions Small = new() { Subjects = 4, FramesPerSubject = 30, Folds = 2, Seed = 7 };

    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void SameSeedGivesByteIdenticalDatasetAndAnotherSeedDoesNot()
    {
        SyntheticDatasetGenerator.Generate(_dir.Combine("a"), Small);
        SyntheticDatasetGenerator.Generate(_dir.Combine("b"), Small);
        SyntheticDatasetGenerator.Generate(_dir.Combine("c"), Small with { Seed = 8 });

        var a = Hashes(_dir.Combine("a"));
        Assert.Equal(a, Hashes(_dir.Combine("b")));
        Assert.Equal(4 * 30, a.Keys.Count(k => k.EndsWith(".png")));
        Assert.NotEqual(a["list/UNBC_train_pspi_raw_fold1.txt"], Hashes(_dir.Combine("c"))["list/UNBC_train_pspi_raw_fold1.txt"]);
    }

    [Fact]
    public void EveryFoldReadsBackValidatedWithDisjointSubjectsAndConsistentLabels()
    {
        var frames = SyntheticDatasetGenerator.Generate(_dir.Path, Small);
        var options = new DatasetReadOptions { RequireAuLabels = true, RequirePainLabels = true };

        for (var fold = 1; fold <= 2; fold++)
        {
            var train = UnbcDatasetReader.Read(_dir.Path, DatasetSplit.Train, options with { Fold = fold });
            var test = UnbcDatasetReader.Read(_dir.Path, DatasetSplit.Test, options with { Fold = fold });
            Assert.Empty(train.Subjects.Intersect(test.Subjects));
            Assert.Equal(frames.Count, train.Count + test.Count);
            for (var i = 0; i < train.Count; i++)
            {
                var truth = frames.Single(f => f.Path == train.ImagePaths[i]).Actions;
                Assert.Equal(PainScheme.ThreeLevel.ClassOfPspi(truth.Pspi), train.PainClasses![i]);
                Assert.Equal(truth.Pspi, train.Pspi![i]);
                Assert.Equal(truth.UnbcPlusOccurrence().Select(v => (float)v), train.AuLabels![i]);
            }
        }
        var original = UnbcDatasetReader.Read(_dir.Path, DatasetSplit.Train, options with { ListFolder = "list/unbc10", AuColumns = 10, RequireAuLabels = false, RequirePainLabels = false });
        Assert.Equal(10, original.AuLabels![0].Length);
    }

    [Fact]
    public void ClassesAreImbalancedLikeUnbc()
    {
        var frames = SyntheticDatasetGenerator.Generate(_dir.Path, new SynthOptions { Subjects = 6, FramesPerSubject = 60 });
        var shares = frames.GroupBy(f => PainScheme.ThreeLevel.ClassOfPspi(f.Actions.Pspi)).ToDictionary(g => g.Key, g => g.Count() / (double)frames.Count);

        Assert.InRange(shares[0], 0.6, 0.8);
        Assert.InRange(shares[1], 0.12, 0.32);
        Assert.InRange(shares[2], 0.03, 0.14);
        Assert.All(frames.Where(f => f.Actions.Pspi == 0), f => Assert.Equal(0, f.Actions.Au4 + f.Actions.Au6 + f.Actions.Au9 + f.Actions.Au43));
    }

    [Fact]
    public void FacesAre172PixelsAndTheDrawnAusChangeTheirRegions()
    {
        var look = SubjectLook.Draw(new Random(1));
        SKBitmap Render(FaceActions au) => SKBitmap.Decode(FaceRenderer.RenderPng(au, look with { }, new Random(5)));
        using var neutral = Render(FaceActions.Neutral);
        using var closed = Render(FaceActions.Neutral with { Au43 = 1 });
        using var smile = Render(FaceActions.Neutral with { Au12 = 4, Au26 = 2 });

        Assert.Equal((172, 172), (neutral.Width, neutral.Height));
        // Eye closure changes the eye band (rows 70–86) far more than the mouth band (rows 120–150), and vice versa.
        Assert.True(Difference(neutral, closed, 70, 86) > 4 * Difference(neutral, closed, 120, 150));
        Assert.True(Difference(neutral, smile, 120, 150) > 4 * Difference(neutral, smile, 70, 86));
    }

    [Theory]
    [InlineData("AU1 inner brow raise")]
    [InlineData("AU2 outer brow raise")]
    [InlineData("AU12 lip corner pull")]
    [InlineData("AU25 lips part")]
    [InlineData("AU26 jaw drop")]
    public void EachOtherDrawnAuChangesItsOwnRegionFarMoreThanTheOtherEnd(string au)
    {
        var look = SubjectLook.Draw(new Random(1));
        SKBitmap Render(FaceActions actions) => SKBitmap.Decode(FaceRenderer.RenderPng(actions, look with { }, new Random(5)));
        var (actions, own, other) = au.Split(' ')[0] switch
        {
            // Brows rows 52–74 against the mouth band rows 120–150, and the other way round.
            "AU1" => (FaceActions.Neutral with { Au1 = 3 }, (52, 74), (120, 150)),
            "AU2" => (FaceActions.Neutral with { Au2 = 3 }, (52, 74), (120, 150)),
            "AU12" => (FaceActions.Neutral with { Au12 = 3 }, (120, 150), (52, 74)),
            "AU25" => (FaceActions.Neutral with { Au25 = 3 }, (120, 150), (52, 74)),
            _ => (FaceActions.Neutral with { Au26 = 3 }, (120, 150), (52, 74)),
        };
        using var neutral = Render(FaceActions.Neutral);
        using var moved = Render(actions);
        var (ownChange, otherChange) = (Difference(neutral, moved, own.Item1, own.Item2), Difference(neutral, moved, other.Item1, other.Item2));
        Assert.True(ownChange > 0.5, $"{au} changes its region by only {ownChange:0.00}");
        Assert.True(ownChange > 4 * otherChange, $"{au}: own region {ownChange:0.00}, other end {otherChange:0.00}");
    }

    [Fact]
    public void BrowLoweringCheekRaiseAndNoseWrinkleChangeTheirRegionsWithTheIntensity()
    {
        var look = SubjectLook.Draw(new Random(1));
        SKBitmap Render(FaceActions au) => SKBitmap.Decode(FaceRenderer.RenderPng(au, look with { }, new Random(5)));
        using var neutral = Render(FaceActions.Neutral);
        // Regions of the 172×172 face (±2 px pose jitter, ±3° rotation): brows rows 52–74, cheeks rows 90–118,
        // nose bridge and nostrils rows 80–110 within columns 70–102, mouth rows 120–150.
        double Brows(SKBitmap b) => Difference(neutral, b, 52, 74);
        double Cheeks(SKBitmap b) => Difference(neutral, b, 90, 118);
        double Nose(SKBitmap b) => Difference(neutral, b, 80, 110, 70, 102);
        double Mouth(SKBitmap b) => Difference(neutral, b, 120, 150);

        var au4 = Enumerable.Range(1, 4).Select(i => Render(FaceActions.Neutral with { Au4 = i })).ToList();
        var au6 = Enumerable.Range(1, 4).Select(i => Render(FaceActions.Neutral with { Au6 = i })).ToList();
        var au9 = Enumerable.Range(1, 4).Select(i => Render(FaceActions.Neutral with { Au9 = i })).ToList();
        try
        {
            foreach (var (region, images) in new (Func<SKBitmap, double> Region, List<SKBitmap> Images)[] { (Brows, au4), (Cheeks, au6), (Nose, au9) })
            {
                var changes = images.Select(region).ToList();
                // Intensity 1 already changes the region, every further step changes it again, and the strongest
                // intensity departs from the neutral face at least 1.5 times as much as intensity 1.
                Assert.True(changes[0] > 0.5, $"intensity 1 changes its region by only {changes[0]:0.00}");
                Assert.True(changes[^1] > 1.5 * changes[0], $"changes by intensity {string.Join(" / ", changes.Select(c => c.ToString("0.00")))} do not grow");
                for (var i = 1; i < images.Count; i++)
                {
                    var step = Difference(images[i - 1], images[i], 0, FaceRenderer.Size);
                    Assert.True(step > 0.1, $"intensity {i} → {i + 1} changes nothing ({step:0.000})");
                }
                // The mouth band, far from all three, stays as it is.
                Assert.All(images, b => Assert.True(region(b) > 4 * Mouth(b), $"region {region(b):0.00} vs mouth {Mouth(b):0.00}"));
            }
            // Brow lowering leaves the cheeks alone; the cheek raise (which also narrows the eyes and draws crow's feet
            // from row 70 down) leaves the upper brow band, rows 50–66, alone.
            Assert.True(Brows(au4[3]) > 4 * Cheeks(au4[3]), $"AU4: brows {Brows(au4[3]):0.00}, cheeks {Cheeks(au4[3]):0.00}");
            var upperBrows = Difference(neutral, au6[3], 50, 66);
            Assert.True(Cheeks(au6[3]) > 4 * upperBrows, $"AU6: cheeks {Cheeks(au6[3]):0.00}, upper brow band {upperBrows:0.00}");
        }
        finally
        {
            foreach (var b in au4.Concat(au6).Concat(au9))
                b.Dispose();
        }
    }

    private static double Difference(SKBitmap a, SKBitmap b, int fromRow, int toRow, int fromColumn = 0, int toColumn = FaceRenderer.Size)
    {
        double sum = 0;
        for (var y = fromRow; y < toRow; y++)
            for (var x = fromColumn; x < toColumn; x++)
            {
                SKColor p = a.GetPixel(x, y), q = b.GetPixel(x, y);
                sum += Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue);
            }
        return sum / ((toRow - fromRow) * (toColumn - fromColumn));
    }
}
