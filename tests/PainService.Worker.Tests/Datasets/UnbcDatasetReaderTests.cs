using PainService.Model;
using PainService.Worker.Datasets;

namespace PainService.Worker.Tests.Datasets;

public sealed class UnbcDatasetReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.Path;

    private void Write(string name, params string[] lines)
    {
        var file = _dir.Combine("list", name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllLines(file, lines);
    }

    private void Images(params string[] paths)
    {
        foreach (var p in paths)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_dir.Combine("img", p))!);
            File.WriteAllBytes(_dir.Combine("img", p), [1]);
        }
        Write("UNBC_train_img_path_fold1.txt", paths);
    }

    private static readonly DatasetReadOptions Both = new() { RequireAuLabels = true, RequirePainLabels = true };

    private void ValidSet()
    {
        Images("001-aa001/s1/001.png", "001-aa001/s1/002.png", "002-bb002/s1/001.png");
        Write("UNBC_train_label_fold1.txt", "1 1 1 1 1 1 1 1", "0 0 3 0 0 0 0 0", "-1 0 0 0 0 0 0 0");
        Write("UNBC_train_pspi_fold1.txt", "1 0 0", "0 1 0", "0 0 1");
    }

    [Fact]
    public void ReadsAlignedListsKeepingOrderMaskAndCap()
    {
        ValidSet();

        var split = UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both);

        Assert.Equal(3, split.Count);
        Assert.Equal(["001-aa001", "002-bb002"], split.Subjects);
        Assert.Equal([0, 1, 2], split.PainClasses!);
        Assert.Equal(1f, split.AuLabels![1][2]); // intensity 3 capped to occurrence (Q18)
        Assert.Equal(-1f, split.AuLabels[2][0]); // unknown stays masked
    }

    [Fact]
    public void RowCountMismatchNamesTheFile()
    {
        ValidSet();
        Write("UNBC_train_pspi_fold1.txt", "1 0 0", "0 1 0");

        var e = Assert.Throws<DatasetFormatException>(() => UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both));
        Assert.EndsWith("UNBC_train_pspi_fold1.txt", e.File);
        Assert.Contains("has 2 rows but the image list has 3", e.Message);
    }

    [Fact]
    public void MissingImageNamesListAndLine()
    {
        ValidSet();
        File.Delete(_dir.Combine("img", "001-aa001/s1/002.png"));

        var e = Assert.Throws<DatasetFormatException>(() => UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both));
        Assert.Equal(2, e.Line);
        Assert.Contains("001-aa001/s1/002.png", e.Message);
    }

    [Fact]
    public void NonNumericCellNamesLineAndColumn()
    {
        ValidSet();
        Write("UNBC_train_label_fold1.txt", "1 1 1 1 1 1 1 1", "0 0 x 0 0 0 0 0", "0 0 0 0 0 0 0 0");

        var e = Assert.Throws<DatasetFormatException>(() => UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both));
        Assert.Equal(2, e.Line);
        Assert.Contains("column 3: 'x' is not a number", e.Message);
    }

    [Fact]
    public void TrainingAuColumnWithoutPositivesIsRejected()
    {
        ValidSet();
        Write("UNBC_train_label_fold1.txt", "1 1 1 1 1 1 0 1", "0 0 1 0 0 0 0 0", "0 0 0 0 0 0 -1 0");

        var e = Assert.Throws<DatasetFormatException>(() => UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both));
        Assert.Contains("column 7 (AU25) has no positive row", e.Message);
    }

    [Fact]
    public void FractionalAuLabelIsRejected()
    {
        ValidSet();
        Write("UNBC_train_label_fold1.txt", "1 1 1 1 1 1 1 1", "0 0 0.5 0 0 0 0 0", "0 0 0 0 0 0 0 0");

        var e = Assert.Throws<DatasetFormatException>(() => UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both));
        Assert.Contains("(AU4)", e.Message);
    }

    [Fact]
    public void OneHotRowWithTwoClassesIsRejected()
    {
        ValidSet();
        Write("UNBC_train_pspi_fold1.txt", "1 0 0", "0 1 1", "0 0 1");

        var e = Assert.Throws<DatasetFormatException>(() => UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void RawPspiFileIsBinnedByTheScheme()
    {
        ValidSet();
        Write("UNBC_train_pspi_fold1.txt", "0", "4", "5");

        Assert.Equal([0, 1, 2], UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both).PainClasses!);
        Assert.Equal([0, 1, 1], UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both with { Scheme = PainScheme.Binary }).PainClasses!);
    }

    [Fact]
    public void SchemeWidthMismatchWithoutRawPspiIsAnError()
    {
        ValidSet();

        var e = Assert.Throws<DatasetFormatException>(() =>
            UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both with { Scheme = PainScheme.FourLevel }));
        Assert.Contains("needs 4", e.Message);
    }

    [Fact]
    public void TrainingClassWithoutRowsIsRejected()
    {
        ValidSet();
        Write("UNBC_train_pspi_fold1.txt", "1 0 0", "0 1 0", "0 1 0");

        var e = Assert.Throws<DatasetFormatException>(() => UnbcDatasetReader.Read(Root, DatasetSplit.Train, Both));
        Assert.Contains("Obvious has no training rows", e.Message);
    }
}
