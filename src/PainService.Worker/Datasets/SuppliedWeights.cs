using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Model;

namespace PainService.Worker.Datasets;

/// <summary>Which weights the loss uses: <c>--weights computed|files</c> (spec §5.3).</summary>
public enum WeightSource
{
    /// <summary>The §5.3 formula on the rows the run trains on (the default).</summary>
    Computed,

    /// <summary>The dataset's weight file (<c>UNBC_weight_foldN.txt</c> / <c>UNBC_pspi_w_foldN.txt</c>).</summary>
    Files,
}

/// <summary>The loss weights a run uses, and what it found out about the supplied file (for the log and the provenance).</summary>
public sealed record LossWeights(double[] Used, JsonObject Note, string? Warning);

/// <summary>
/// The weight files of the UNBC layout (spec §2.7: one tab-separated <c>%f</c> row, AU weights for stage 1, class
/// weights for stage 2). When present they are read and validated before training (numeric, one row, one positive
/// weight per label), compared with the §5.3 formula on the whole training list — the rows the authors' script
/// computed them from — and reported when they differ; <see cref="WeightSource.Files"/> trains with them.
/// </summary>
public static class SuppliedWeights
{
    /// <summary>%f keeps 6 decimals; a file agrees when every weight is within 1e-5 + 0.1 % of the formula's.</summary>
    public const double AbsoluteTolerance = 1e-5;

    public const double RelativeTolerance = 1e-3;

    /// <summary>The file's weights, or null when it does not exist; anything malformed is a <see cref="DatasetFormatException"/>.</summary>
    public static double[]? Read(string file, IReadOnlyList<string> names, string what) =>
        File.Exists(file) ? Validate(file, NumericTable.Read(file), names, what) : null;

    private static double[] Validate(string file, double[][] rows, IReadOnlyList<string> names, string what)
    {
        if (rows.Length != 1)
            throw new DatasetFormatException(file, 2, $"expected one row of {names.Count} {what} weights, found {rows.Length} rows");
        if (rows[0].Length != names.Count)
            throw new DatasetFormatException(file, 1, $"has {rows[0].Length} weights but there are {names.Count} {what} labels ({string.Join(", ", names)})");
        for (var k = 0; k < names.Count; k++)
            if (rows[0][k] <= 0)
                throw new DatasetFormatException(file, 1, $"column {k + 1} ({names[k]}): weight {rows[0][k].ToString(CultureInfo.InvariantCulture)} is not positive");
        return rows[0];
    }

    /// <summary>
    /// The class-weight file of a fold for <paramref name="scheme"/>. A list folder keeps one label set (the authors
    /// had <c>list/final_3</c>, <c>list/final_4</c>); when its one-hot labels are for another scheme and the run derives
    /// its classes from raw PSPI, a weight file as wide as those one-hot rows describes that other scheme: it is
    /// reported as not compared (and cannot be trained with) instead of failing the run.
    /// </summary>
    public static (double[]? Supplied, string? Skipped) ReadClassWeights(UnbcLayout layout, int fold, PainScheme scheme)
    {
        var file = layout.ClassWeights(fold);
        if (!File.Exists(file))
            return (null, null);
        var rows = NumericTable.Read(file);
        var oneHot = layout.PainLabels(DatasetSplit.Train, fold);
        if (rows.Length == 1 && rows[0].Length != scheme.ClassCount() && File.Exists(oneHot)
            && NumericTable.Read(oneHot)[0].Length is var width && width == rows[0].Length)
            return (null, $"it has {width} weights for the {width}-column one-hot labels of this folder, while the {scheme} scheme has {scheme.ClassCount()} classes (derived from raw PSPI)");
        return (Validate(file, rows, scheme.Labels(), "class"), null);
    }

    /// <param name="stage">Log prefix (<c>sft</c>, <c>train</c>).</param>
    /// <param name="file">The weight file of the fold (it may not exist).</param>
    /// <param name="supplied">Its validated weights (<see cref="Read"/>), or null.</param>
    /// <param name="skipped">Why an existing file is not compared (it describes other labels), or null.</param>
    /// <param name="fromTrainingList">§5.3 on the whole training list of the fold (what the file should hold).</param>
    /// <param name="fromTrainingRows">§5.3 on the rows the run trains on (after the validation carve-out and undersampling).</param>
    public static LossWeights Choose(string stage, string file, double[]? supplied, string? skipped, double[] fromTrainingList, double[] fromTrainingRows,
        WeightSource source)
    {
        if (source == WeightSource.Files && supplied is null)
            throw new DatasetFormatException(file, null, skipped is null
                ? "file not found: --weights files trains with the dataset's weight file"
                : $"cannot be used with --weights files: {skipped}");
        var note = new JsonObject
        {
            ["source"] = source.ToString().ToLowerInvariant(),
            ["file"] = file,
            ["supplied"] = supplied is null ? null : JsonSerializer.SerializeToNode(supplied),
            ["fromTrainingList"] = JsonSerializer.SerializeToNode(fromTrainingList),
            ["fromTrainingRows"] = JsonSerializer.SerializeToNode(fromTrainingRows),
        };
        string? warning = null;
        if (skipped is not null)
            note["check"] = $"not compared: {skipped}";
        else if (supplied is null)
            note["check"] = "no weight file: the weights are computed (§5.3)";
        else
        {
            var difference = supplied.Select((w, k) => Math.Abs(w - fromTrainingList[k])).Max();
            var agrees = supplied.Select((w, k) => Math.Abs(w - fromTrainingList[k]) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(fromTrainingList[k])).All(b => b);
            note["maxDifference"] = difference;
            note["check"] = agrees
                ? "the file agrees with §5.3 on the training list"
                : "the file differs from §5.3 on the training list";
            if (!agrees)
            {
                warning = FormattableString.Invariant(
                    $"{stage}: warning: {file} differs from the §5.3 weights of the training list by up to {difference:0.000000} (file [{Format(supplied)}], computed [{Format(fromTrainingList)}]); training with the {(source == WeightSource.Files ? "file's" : "computed")} weights");
                note["warning"] = warning;
            }
        }
        var used = source == WeightSource.Files ? supplied! : fromTrainingRows;
        note["used"] = JsonSerializer.SerializeToNode(used);
        return new LossWeights(used, note, warning);
    }

    private static string Format(IEnumerable<double> weights) => string.Join(", ", weights.Select(w => w.ToString("0.000000", CultureInfo.InvariantCulture)));
}
