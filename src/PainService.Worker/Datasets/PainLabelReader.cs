using PainService.Model;

namespace PainService.Worker.Datasets;

/// <summary>
/// Pain labels: one-hot rows whose width must match the scheme (3 / 4 / 2 columns), or the older variant of one
/// raw PSPI value per line, binned with <see cref="PainSchemes.ClassOfPspi"/>. When the one-hot file belongs to a
/// different scheme but raw PSPI exists beside it, the classes are derived from the raw values.
/// </summary>
public static class PainLabelReader
{
    public static int[] Read(string oneHotFile, string rawFile, int expectedRows, PainScheme scheme, IReadOnlyList<double>? rawPspi)
    {
        var rows = NumericTable.Read(oneHotFile);
        UnbcDatasetReader.RowCount(oneHotFile, rows.Length, expectedRows);
        var width = rows[0].Length;
        if (width == 1)
            return rows.Select((r, i) => PspiClass(oneHotFile, i, r[0], scheme)).ToArray();
        if (width != scheme.ClassCount())
        {
            if (rawPspi is not null)
                return rawPspi.Select((p, i) => PspiClass(rawFile, i, p, scheme)).ToArray();
            throw new DatasetFormatException(oneHotFile, null,
                $"has {width} one-hot columns but the {scheme} scheme needs {scheme.ClassCount()} (and no raw PSPI file to derive them)");
        }
        var classes = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            classes[i] = -1;
            for (var c = 0; c < width; c++)
            {
                var v = rows[i][c];
                if (v != 0 && v != 1)
                    throw new DatasetFormatException(oneHotFile, i + 1, $"column {c + 1}: one-hot value {v} is neither 0 nor 1");
                if (v == 1)
                {
                    if (classes[i] >= 0)
                        throw new DatasetFormatException(oneHotFile, i + 1, "more than one class is set");
                    classes[i] = c;
                }
            }
            if (classes[i] < 0)
                throw new DatasetFormatException(oneHotFile, i + 1, "no class is set");
            if (rawPspi is not null && scheme.ClassOfPspi(rawPspi[i]) != classes[i])
                throw new DatasetFormatException(oneHotFile, i + 1,
                    $"one-hot class {classes[i]} disagrees with raw PSPI {rawPspi[i]} ({rawFile}) under the {scheme} scheme");
        }
        return classes;
    }

    private static int PspiClass(string file, int row, double pspi, PainScheme scheme) =>
        pspi is < 0 or > 16
            ? throw new DatasetFormatException(file, row + 1, $"PSPI {pspi} is outside 0–16")
            : scheme.ClassOfPspi(pspi);
}
