namespace PainService.Model.Training;

/// <summary>
/// The per-iteration cosine learning rate of both stages (spec §6.1), set before every optimiser step:
/// <c>lr = lr0 · ½ · (1 + cos(π · (epoch·N + iteration) / (E·N)))</c>, 0-based, no warm-up. E defaults to 20 (Q6).
/// </summary>
public sealed record CosineSchedule(double InitialLearningRate, int Epochs, int IterationsPerEpoch)
{
    public double At(int epoch, int iteration)
    {
        var t = (double)epoch * IterationsPerEpoch + iteration;
        return InitialLearningRate * 0.5 * (1 + Math.Cos(Math.PI * t / ((double)Epochs * IterationsPerEpoch)));
    }

    /// <summary>N = ⌈n_train / B⌉.</summary>
    public static int Iterations(int trainCount, int batchSize) => (trainCount + batchSize - 1) / batchSize;
}
