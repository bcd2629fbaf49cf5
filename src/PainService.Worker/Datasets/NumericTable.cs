using System.Globalization;

namespace PainService.Worker.Datasets;

/// <summary>
/// Reads the space- or tab-separated numeric matrices of the list layout (what <c>np.loadtxt</c> accepts: integers,
/// floats, one row per line). Every row must have the same width; blank lines are only allowed at the end.
/// </summary>
public static class NumericTable
{
    public static double[][] Read(string file, int? expectedColumns = null)
    {
        if (!System.IO.File.Exists(file))
            throw new DatasetFormatException(file, null, "file not found");
        var lines = TrimTrailingBlank(System.IO.File.ReadAllLines(file));
        if (lines.Count == 0)
            throw new DatasetFormatException(file, null, "file is empty");
        var rows = new double[lines.Count][];
        for (var i = 0; i < lines.Count; i++)
        {
            var cells = lines[i].Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length == 0)
                throw new DatasetFormatException(file, i + 1, "blank line inside the table");
            var width = expectedColumns ?? rows[0]?.Length ?? cells.Length;
            if (cells.Length != width)
                throw new DatasetFormatException(file, i + 1, $"expected {width} columns, found {cells.Length}");
            rows[i] = new double[cells.Length];
            for (var j = 0; j < cells.Length; j++)
            {
                if (!double.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    throw new DatasetFormatException(file, i + 1, $"column {j + 1}: '{cells[j]}' is not a number");
                rows[i][j] = v;
            }
        }
        return rows;
    }

    /// <summary>Non-blank lines of a text list, trailing blank lines dropped; an inner blank line is an error.</summary>
    public static IReadOnlyList<string> ReadLines(string file)
    {
        if (!System.IO.File.Exists(file))
            throw new DatasetFormatException(file, null, "file not found");
        var lines = TrimTrailingBlank(System.IO.File.ReadAllLines(file));
        if (lines.Count == 0)
            throw new DatasetFormatException(file, null, "file is empty");
        for (var i = 0; i < lines.Count; i++)
            if (string.IsNullOrWhiteSpace(lines[i]))
                throw new DatasetFormatException(file, i + 1, "blank line inside the list");
        return lines.Select(l => l.Trim()).ToList();
    }

    /// <summary>Python's <c>%f</c> (6 decimals), tab-separated, one row: the authors' weight-file format.</summary>
    public static void WriteWeightRow(string file, IReadOnlyList<double> weights) =>
        System.IO.File.WriteAllText(file, string.Join('\t', weights.Select(w => w.ToString("F6", CultureInfo.InvariantCulture))) + "\n");

    private static List<string> TrimTrailingBlank(string[] lines)
    {
        var n = lines.Length;
        while (n > 0 && string.IsNullOrWhiteSpace(lines[n - 1]))
            n--;
        return lines.Take(n).ToList();
    }
}
