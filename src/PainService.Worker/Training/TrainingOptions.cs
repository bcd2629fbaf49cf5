using PainService.Model;
using PainService.Worker.Datasets;

namespace PainService.Worker.Training;

/// <summary>
/// Settings of a training run (both stages). Defaults are the paper's (spec §6): AdamW (0.9, 0.999), eps 1e-8,
/// weight decay 5e-4, per-iteration cosine over a 20-epoch horizon, seed 0; batch and LR differ per stage
/// (<see cref="ForSft"/>: 16 and 1e-5; <see cref="ForPain"/>: 64 and 1e-4).
/// </summary>
public sealed record TrainingOptions
{
    public required string Dataset { get; init; }
    public required string OutputDirectory { get; init; }
    public int Fold { get; init; } = 1;
    public string ListFolder { get; init; } = "list";
    public PainScheme Scheme { get; init; } = PainScheme.ThreeLevel;
    public string Preset { get; init; } = "paper";

    /// <summary>Cosine horizon E (the paper keeps 20 even when stopping early, quirk Q6).</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Stop after this many epochs (the paper: 17 for SFT, 8 for pain); null = <see cref="Epochs"/>.</summary>
    public int? StopAfter { get; init; }

    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-4;
    public double WeightDecay { get; init; } = 5e-4;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    public int Seed { get; init; }
    public CropMode CropMode { get; init; } = CropMode.Legacy;
    public bool Flip { get; init; } = true;
    public double ColorJitter { get; init; } = 0.4;

    /// <summary>Share of the training subjects held out for validation (checkpoint selection, calibration).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Stage 2: the SFT checkpoint to start from; stage 1: an optional (e.g. imported DISFA) checkpoint.</summary>
    public string? InitCheckpoint { get; init; }

    /// <summary>
    /// The loss weights: computed by §5.3 on the rows actually trained (default), or the dataset's weight file (read,
    /// validated and compared with the formula in either case).
    /// </summary>
    public WeightSource LossWeights { get; init; } = WeightSource.Computed;

    public bool Resume { get; init; }
    public bool TemperatureScaling { get; init; }
    public SftSampling Sampling { get; init; } = new();

    /// <summary>The dataset's licence, recorded in the model's provenance when the dataset has no dataset.json.</summary>
    public string? LicenceNote { get; init; }

    public int Threads { get; init; }

    /// <summary>auto | cpu | cuda[:N], resolved by <see cref="TrainingDevice.Resolve"/> before any data is read.</summary>
    public string Device { get; init; } = TrainingDevice.Auto;

    public int LastEpoch => Math.Min(StopAfter ?? Epochs, Epochs);

    public static TrainingOptions ForSft(string dataset, string output) => new()
    {
        Dataset = dataset, OutputDirectory = output, BatchSize = 16, LearningRate = 1e-5, ListFolder = "list",
    };

    public static TrainingOptions ForPain(string dataset, string output) => new() { Dataset = dataset, OutputDirectory = output };

    public void Validate()
    {
        if (Epochs < 1 || LastEpoch < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), "epochs must be ≥ 1");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be ≥ 1");
        if (LearningRate <= 0 || WeightDecay < 0)
            throw new ArgumentOutOfRangeException(nameof(LearningRate), "learning rate must be > 0 and weight decay ≥ 0");
        if (ColorJitter is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(ColorJitter), ColorJitter, "colour jitter must be in [0, 1)");
    }
}
