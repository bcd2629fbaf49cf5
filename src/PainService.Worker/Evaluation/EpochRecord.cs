namespace PainService.Worker.Evaluation;

/// <summary>One epoch of a training run's history (written into checkpoints and reports, drawn as curves).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="ValidationMacroF1">Macro-F1 (stage 2) or mean AU F1 (stage 1) on the validation split, as a fraction.</param>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double? ValidationLoss,
    double? ValidationMacroF1,
    double? ValidationAccuracy,
    double LearningRate,
    double Seconds,
    int Images);
