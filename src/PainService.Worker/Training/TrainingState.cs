using System.Text.Json;
using PainService.Worker.Evaluation;

namespace PainService.Worker.Training;

/// <summary>
/// What a checkpoint carries besides weights and optimizer state (section <c>training.json</c>), enough to resume
/// after kill -9: epochs done, seeds (per-epoch RNGs are derived from the seed and the epoch number, so no RNG
/// state has to be captured), history, best validation epoch and the validation subjects.
/// </summary>
public sealed record TrainingState
{
    public const string Section = "training.json";
    public const string OptimizerSection = "optimizer.bin";

    public required string Stage { get; init; }
    public int EpochsDone { get; init; }
    public int Seed { get; init; }
    public IReadOnlyList<EpochRecord> History { get; init; } = [];
    public int BestEpoch { get; init; }
    public double BestScore { get; init; } = double.NegativeInfinity;
    public IReadOnlyList<string> TrainSubjects { get; init; } = [];
    public IReadOnlyList<string> ValidationSubjects { get; init; } = [];
    public int TrainFrames { get; init; }

    public static TrainingState Read(Stream stream) =>
        JsonSerializer.Deserialize<TrainingState>(stream, EvaluationReport.Json) ?? throw new InvalidDataException("empty training state");

    public void Write(Stream stream) => JsonSerializer.Serialize(stream, this, EvaluationReport.Json);
}
