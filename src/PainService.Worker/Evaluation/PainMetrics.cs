namespace PainService.Worker.Evaluation;

/// <summary>
/// The stage-2 metrics exactly as spec §7.1: one-vs-rest TP/FP/FN/TN per class with 1e-20 guards, unweighted macro
/// means, overall accuracy = trace/N (the paper's number) and the mean one-vs-rest accuracy that the authors' training
/// log prints (quirk Q8) — both kept, clearly named.
/// </summary>
public sealed record PainMetrics(
    IReadOnlyList<ClassMetrics> Classes,
    MacroMetrics Macro,
    double Accuracy,
    double MeanOneVsRestAccuracy,
    ConfusionMatrix Confusion)
{
    private const double Guard = 1e-20;

    public static PainMetrics Compute(ConfusionMatrix confusion, IReadOnlyList<string> classNames)
    {
        if (classNames.Count != confusion.Classes)
            throw new ArgumentException($"{classNames.Count} class names for a {confusion.Classes}-class matrix");
        var n = confusion.Total;
        if (n == 0)
            throw new ArgumentException("the confusion matrix is empty: nothing was evaluated");
        var classes = new List<ClassMetrics>();
        long trace = 0;
        for (var c = 0; c < confusion.Classes; c++)
        {
            long tp = confusion[c, c], fp = 0, fn = 0;
            for (var o = 0; o < confusion.Classes; o++)
            {
                if (o == c)
                    continue;
                fp += confusion[o, c];
                fn += confusion[c, o];
            }
            var tn = n - tp - fp - fn;
            var precision = tp / (tp + fp + Guard);
            var recall = tp / (tp + fn + Guard);
            var f1 = 2 * precision * recall / (precision + recall + Guard);
            classes.Add(new ClassMetrics(classNames[c], precision, recall, f1, tp + fn, (double)(tp + tn) / n));
            trace += tp;
        }
        var macro = new MacroMetrics(classes.Average(m => m.Precision), classes.Average(m => m.Recall), classes.Average(m => m.F1));
        return new PainMetrics(classes, macro, (double)trace / n, classes.Average(m => m.OneVsRestAccuracy), confusion);
    }
}
