using PainService.Model;

namespace PainService.Worker.Datasets;

/// <summary>
/// AU label files: 0 = absent, ≥ 1 = present (UNBC intensities are capped to occurrence, spec Q18, so WAL never sees
/// a label above 1), -1 = unknown (kept as -1 and masked by the loss). Fractions and other negatives are errors.
/// </summary>
public static class AuLabelReader
{
    public static float[][] Read(string file, int expectedRows, int columns, bool requirePositives)
    {
        var rows = NumericTable.Read(file, columns);
        UnbcDatasetReader.RowCount(file, rows.Length, expectedRows);
        var labels = new float[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            labels[i] = new float[columns];
            for (var j = 0; j < columns; j++)
            {
                var v = rows[i][j];
                labels[i][j] = v switch
                {
                    -1 => -1f,
                    0 => 0f,
                    >= 1 => 1f,
                    _ => throw new DatasetFormatException(file, i + 1,
                        $"column {j + 1} ({ColumnName(columns, j)}): {v} is not an occurrence (0), intensity (≥ 1) or unknown (-1)"),
                };
            }
        }
        if (requirePositives)
            for (var j = 0; j < columns; j++)
                if (!labels.Any(r => r[j] > 0))
                    throw new DatasetFormatException(file, null,
                        $"column {j + 1} ({ColumnName(columns, j)}) has no positive row: the AU cannot be learnt and its weight is undefined");
        return labels;
    }

    public static string ColumnName(int columns, int j) => columns switch
    {
        8 => ActionUnits.DisfaOrder[j],
        10 => UnbcOriginalAus[j],
        _ => $"AU column {j + 1}",
    };

    /// <summary>Column order of the original 10-AU UNBC label files (spec §2.3).</summary>
    public static readonly IReadOnlyList<string> UnbcOriginalAus = ["AU4", "AU6", "AU7", "AU9", "AU10", "AU12", "AU20", "AU25", "AU26", "AU43"];
}
