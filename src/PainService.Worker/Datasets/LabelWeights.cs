using PainService.Model.Training;

namespace PainService.Worker.Datasets;

/// <summary>
/// The authors' normalised inverse-frequency weights (spec §5.3): r_k = positives_k / rows,
/// w_k = K·(1/r_k) / Σ_m (1/r_m), so the weights sum to K. Used for AU weights (WAL) and class weights (WCE).
/// </summary>
public static class LabelWeights
{
    /// <param name="positives">Rows whose column k is positive.</param>
    /// <param name="rows">Rows that are known for each column (all rows unless labels are masked with -1).</param>
    /// <param name="names">Column names for the error message.</param>
    public static double[] FromCounts(IReadOnlyList<long> positives, IReadOnlyList<long> rows, IReadOnlyList<string> names)
    {
        if (positives.Count == 0 || positives.Count != rows.Count || names.Count != positives.Count)
            throw new ArgumentException("positives, rows and names must have the same non-zero length");
        for (var k = 0; k < positives.Count; k++)
        {
            // r = 0 would divide by zero (the authors' script has no guard); a label that never occurs cannot be learnt.
            if (positives[k] <= 0 || rows[k] <= 0)
                throw new InvalidOperationException(
                    $"label '{names[k]}' has no positive training rows: its weight is undefined (spec §5.3); fix the labels or the split");
        }
        // The formula itself lives with the losses in the Model project; this class only counts the rates.
        return ClassWeights.FromRates(positives.Select((p, k) => (double)p / rows[k]).ToArray(), names);
    }

    public static double[] FromCounts(IReadOnlyList<long> positives, long rows, IReadOnlyList<string> names) =>
        FromCounts(positives, positives.Select(_ => rows).ToArray(), names);

    /// <summary>AU weights from a label matrix; -1 (unknown) entries count neither as rows nor as positives.</summary>
    public static double[] ForAuLabels(IReadOnlyList<float[]> labels, IReadOnlyList<string> names)
    {
        var k = names.Count;
        var positives = new long[k];
        var known = new long[k];
        foreach (var row in labels)
            for (var j = 0; j < k; j++)
            {
                if (row[j] < 0)
                    continue;
                known[j]++;
                if (row[j] > 0)
                    positives[j]++;
            }
        return FromCounts(positives, known, names);
    }

    /// <summary>Class weights from per-row class indices.</summary>
    public static double[] ForClasses(IReadOnlyList<int> classes, IReadOnlyList<string> names)
    {
        var positives = new long[names.Count];
        foreach (var c in classes)
            positives[c]++;
        return FromCounts(positives, classes.Count, names);
    }
}
