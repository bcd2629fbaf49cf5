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

    private static double Difference(SKBitmap a, SKBitmap b, int fromRow, int toRow)
    {
        double sum = 0;
        for (var y = fromRow; y < toRow; y++)
            for (var x = 0; x < a.Width; x++)
            {
                SKColor p = a.GetPixel(x, y), q = b.GetPixel(x, y);
                sum += Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue);
            }
        return sum / ((toRow - fromRow) * a.Width);
    }
}
