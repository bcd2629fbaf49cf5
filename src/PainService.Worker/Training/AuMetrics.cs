namespace PainService.Worker.Training;

/// <summary>Stage-1 metrics (spec §7.2): per AU, prediction = score ≥ 0.5, label ≥ 1; unknown (-1) labels skipped.</summary>
public sealed record AuMetrics(IReadOnlyList<double> F1, IReadOnlyList<double> Accuracy)
{
    public double MeanF1 => F1.Average();

    public double MeanAccuracy => Accuracy.Average();

    public static AuMetrics Compute(IReadOnlyList<float[]> scores, IReadOnlyList<float[]> labels, float threshold = 0.5f)
    {
        var j = labels[0].Length;
        var f1 = new double[j];
        var accuracy = new double[j];
        for (var k = 0; k < j; k++)
        {
            long tp = 0, fp = 0, fn = 0, tn = 0;
            for (var i = 0; i < labels.Count; i++)
            {
                if (labels[i][k] < 0)
                    continue;
                var predicted = scores[i][k] >= threshold;
                var actual = labels[i][k] >= 1;
                if (predicted && actual) tp++;
                else if (predicted) fp++;
                else if (actual) fn++;
                else tn++;
            }
            var precision = tp / (tp + fp + 1e-20);
            var recall = tp / (tp + fn + 1e-20);
            f1[k] = 2 * precision * recall / (precision + recall + 1e-20);
            accuracy[k] = (double)(tp + tn) / Math.Max(1, tp + tn + fp + fn);
        }
        return new AuMetrics(f1, accuracy);
    }
}
