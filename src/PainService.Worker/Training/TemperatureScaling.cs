namespace PainService.Worker.Training;

/// <summary>
/// Post-hoc calibration (Guo et al. 2017): one temperature T that minimises the validation negative log-likelihood of
/// softmax(logits / T). Argmax, and so every reported metric, is unchanged; only the probabilities move. Fitted by
/// golden-section search on log T, which is enough for a one-dimensional convex problem.
/// </summary>
public static class TemperatureScaling
{
    public static double Fit(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels)
    {
        if (logits.Count == 0 || logits.Count != labels.Count)
            throw new ArgumentException("temperature scaling needs one label per logit row and at least one row");
        double lo = Math.Log(1e-3), hi = Math.Log(1e3);
        var phi = (Math.Sqrt(5) - 1) / 2;
        for (var i = 0; i < 80; i++)
        {
            var a = hi - phi * (hi - lo);
            var b = lo + phi * (hi - lo);
            if (Nll(logits, labels, Math.Exp(a)) <= Nll(logits, labels, Math.Exp(b)))
                hi = b;
            else
                lo = a;
        }
        return Math.Exp((lo + hi) / 2);
    }

    public static double Nll(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels, double temperature)
    {
        double total = 0;
        for (var i = 0; i < logits.Count; i++)
        {
            var row = logits[i];
            var max = row.Max() / temperature;
            var sum = row.Sum(z => Math.Exp(z / temperature - max));
            total += max + Math.Log(sum) - row[labels[i]] / temperature;
        }
        return total / logits.Count;
    }
}
