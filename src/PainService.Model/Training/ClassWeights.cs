namespace PainService.Model.Training;

/// <summary>
/// Normalised inverse-frequency weights (spec §5.3): <c>w_k = K·(1/r_k) / Σ_m (1/r_m)</c>, summing to K.
/// The worker's dataset reader counts the rates (PainService.Worker.Datasets.LabelWeights); this is the formula itself.
/// </summary>
public static class ClassWeights
{
    /// <param name="rates">r_k, the share of training rows where column k is positive.</param>
    /// <param name="names">Column names for the error message (optional).</param>
    public static double[] FromRates(IReadOnlyList<double> rates, IReadOnlyList<string>? names = null)
    {
        if (rates.Count == 0)
            throw new ArgumentException("At least one rate is needed.", nameof(rates));
        for (var k = 0; k < rates.Count; k++)
            if (!(rates[k] > 0))   // the r = 0 guard: the authors' script divides by zero here
                throw new InvalidOperationException(
                    $"Column '{names?[k] ?? k.ToString()}' has rate {rates[k]}: a label that never occurs has no weight (spec §5.3).");
        var inverse = rates.Select(r => 1.0 / r).ToArray();
        var sum = inverse.Sum();
        return inverse.Select(v => rates.Count * v / sum).ToArray();
    }
}
