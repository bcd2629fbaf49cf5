namespace PainService.Worker.Datasets;

/// <summary>Which list of a fold: the authors only ever have a train and a test list per fold (spec §2.5).</summary>
public enum DatasetSplit
{
    Train,
    Test,
}

public static class DatasetSplits
{
    /// <summary>The word used in the UNBC list-file names (<c>UNBC_train_…</c>, <c>UNBC_test_…</c>).</summary>
    public static string FileWord(this DatasetSplit split) => split == DatasetSplit.Train ? "train" : "test";
}
