using PainService.Model;

namespace PainService.Worker.Datasets;

/// <summary>
/// Reads and validates one split of a dataset in the UNBC list-file layout (spec §2.7). Everything wrong with the
/// files is reported as a <see cref="DatasetFormatException"/> naming the file and line: row-count mismatches,
/// missing images, non-numeric cells, malformed one-hot rows, and (for training) labels with no positive row.
/// </summary>
public static class UnbcDatasetReader
{
    public static UnbcSplit Read(string root, DatasetSplit split, DatasetReadOptions options)
    {
        if (!Directory.Exists(root))
            throw new DatasetFormatException(root, null, "dataset folder not found");
        if (options.Fold < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Fold, "folds are numbered from 1");
        var layout = new UnbcLayout(root, options.ListFolder);
        var listFile = layout.ImageList(split, options.Fold);
        var paths = NumericTable.ReadLines(listFile);
        ValidatePaths(layout, listFile, paths, options.CheckImages);

        var au = options.RequireAuLabels || File.Exists(layout.AuLabels(split, options.Fold))
            ? AuLabelReader.Read(layout.AuLabels(split, options.Fold), paths.Count, options.AuColumns, requirePositives: split == DatasetSplit.Train && options.RequireAuLabels && options.RequireAuPositives)
            : null;
        IReadOnlyList<double>? pspi = File.Exists(layout.RawPspi(split, options.Fold))
            ? ReadRawPspi(layout.RawPspi(split, options.Fold), paths.Count)
            : null;
        var classes = options.RequirePainLabels
            ? PainLabelReader.Read(layout.PainLabels(split, options.Fold), layout.RawPspi(split, options.Fold), paths.Count, options.Scheme, pspi)
            : null;
        if (classes is not null && split == DatasetSplit.Train)
            RequireEveryClass(layout.PainLabels(split, options.Fold), classes, options.Scheme);
        return new UnbcSplit(layout, split, options.Fold, options.Scheme, paths, au, classes, pspi);
    }

    private static void ValidatePaths(UnbcLayout layout, string listFile, IReadOnlyList<string> paths, bool checkImages)
    {
        var missing = new List<int>();
        for (var i = 0; i < paths.Count; i++)
        {
            if (Path.IsPathRooted(paths[i]) || paths[i].Split('/', '\\').Contains(".."))
                throw new DatasetFormatException(listFile, i + 1, $"'{paths[i]}' must be relative to {layout.ImageDirectory} without '..'");
            if (checkImages && !File.Exists(Path.Combine(layout.ImageDirectory, paths[i])))
                missing.Add(i);
        }
        if (missing.Count > 0)
        {
            var first = missing[0];
            throw new DatasetFormatException(listFile, first + 1,
                $"{missing.Count} listed image(s) missing under {layout.ImageDirectory}, first: '{paths[first]}'");
        }
    }

    private static IReadOnlyList<double> ReadRawPspi(string file, int expectedRows)
    {
        var rows = NumericTable.Read(file, expectedColumns: 1);
        RowCount(file, rows.Length, expectedRows);
        for (var i = 0; i < rows.Length; i++)
            if (rows[i][0] < 0 || rows[i][0] > 16)
                throw new DatasetFormatException(file, i + 1, $"PSPI {rows[i][0]} is outside 0–16");
        return rows.Select(r => r[0]).ToList();
    }

    internal static void RowCount(string file, int actual, int expected)
    {
        if (actual != expected)
            throw new DatasetFormatException(file, null, $"has {actual} rows but the image list has {expected}: the files must align line by line");
    }

    private static void RequireEveryClass(string file, IReadOnlyList<int> classes, PainScheme scheme)
    {
        var labels = scheme.Labels();
        for (var c = 0; c < labels.Count; c++)
            if (!classes.Contains(c))
                throw new DatasetFormatException(file, null, $"class {labels[c]} has no training rows: its class weight is undefined (spec §5.3)");
    }
}
