using System.CommandLine;
using PainService.Model;
using PainService.Worker.Datasets;
using PainService.Worker.Training;

namespace PainService.Worker.Commands;

/// <summary>The options sft and train share; per-stage defaults (batch, LR) come from <see cref="TrainingOptions"/>.</summary>
internal sealed class TrainingCommandOptions
{
    private readonly TrainingOptions _defaults;

    public TrainingCommandOptions(TrainingOptions defaults)
    {
        _defaults = defaults;
        BatchSize = new("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => defaults.BatchSize };
        LearningRate = new("--lr") { Description = "Initial learning rate of the cosine schedule.", DefaultValueFactory = _ => defaults.LearningRate };
    }

    public Option<DirectoryInfo> Dataset { get; } = new("--dataset") { Description = "Dataset root in the UNBC list layout (img/, list/).", Required = true };
    public Option<DirectoryInfo> Output { get; } = new("--out") { Description = "Run folder: epochN.ckpt, last.ckpt, best.ckpt.", Required = true };
    public Option<int> Fold { get; } = new("--fold") { Description = "Fold number.", DefaultValueFactory = _ => 1 };
    public Option<string> Lists { get; } = new("--lists") { Description = "List sub-folder of the dataset.", DefaultValueFactory = _ => "list" };
    public Option<PainScheme> Scheme { get; } = new("--scheme") { Description = "ThreeLevel | FourLevel | Binary.", DefaultValueFactory = _ => PainScheme.ThreeLevel };
    public Option<string> Preset { get; } = new("--preset") { Description = "Architecture without --init: paper (ResNet-50) or ci (narrow, for CPU tests).", DefaultValueFactory = _ => "paper" };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Cosine horizon E (the paper: 20).", DefaultValueFactory = _ => 20 };
    public Option<int?> StopAfter { get; } = new("--stop-after") { Description = "Stop after N epochs of the E-epoch schedule (the paper: 17 SFT, 8 pain)." };
    public Option<int> BatchSize { get; }
    public Option<double> LearningRate { get; }
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "AdamW decoupled weight decay.", DefaultValueFactory = _ => 5e-4 };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for initialisation, shuffling and augmentation.", DefaultValueFactory = _ => 0 };
    public Option<CropMode> Crop { get; } = new("--crop") { Description = "Legacy (authors' top-left crop, Q1) or Fixed (random crop).", DefaultValueFactory = _ => CropMode.Legacy };
    public Option<bool> NoFlip { get; } = new("--no-flip") { Description = "Disable the horizontal flip." };
    public Option<double> Jitter { get; } = new("--jitter") { Description = "Colour-jitter strength (brightness, contrast, saturation).", DefaultValueFactory = _ => 0.4 };
    public Option<double> ValidationFraction { get; } = new("--validation-fraction") { Description = "Share of training subjects held out for validation.", DefaultValueFactory = _ => 0.2 };
    public Option<FileInfo?> Init { get; } = new("--init") { Description = "Checkpoint to start from (stage 2: the SFT checkpoint)." };
    public Option<WeightSource> Weights { get; } = new("--weights")
    {
        Description = "Loss weights: computed (spec §5.3 on the rows trained, after the validation carve-out and undersampling) or files (the dataset's UNBC_weight_foldN / UNBC_pspi_w_foldN). A weight file is always validated and compared with the formula.",
        DefaultValueFactory = _ => WeightSource.Computed,
    };
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the run in --out after its last completed epoch." };
    public Option<int> Threads { get; } = new("--threads") { Description = "libtorch intra-op threads (0 = default)." };
    public Option<string> Device { get; } = DeviceOption.Create();
    public Option<string?> LicenceNote { get; } = new("--licence-note") { Description = "Dataset licence, recorded in the model's provenance." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Dataset, Output, Fold, Lists, Scheme, Preset, Epochs, StopAfter, BatchSize, LearningRate, WeightDecay, Seed, Crop, NoFlip, Jitter, ValidationFraction, Init, Weights, Resume, Threads, Device, LicenceNote })
            command.Options.Add(option);
    }

    public TrainingOptions Read(ParseResult parse) => _defaults with
    {
        Dataset = parse.GetValue(Dataset)!.FullName,
        OutputDirectory = parse.GetValue(Output)!.FullName,
        Fold = parse.GetValue(Fold),
        ListFolder = parse.GetValue(Lists)!,
        Scheme = parse.GetValue(Scheme),
        Preset = parse.GetValue(Preset)!,
        Epochs = parse.GetValue(Epochs),
        StopAfter = parse.GetValue(StopAfter),
        BatchSize = parse.GetValue(BatchSize),
        LearningRate = parse.GetValue(LearningRate),
        WeightDecay = parse.GetValue(WeightDecay),
        Seed = parse.GetValue(Seed),
        CropMode = parse.GetValue(Crop),
        Flip = !parse.GetValue(NoFlip),
        ColorJitter = parse.GetValue(Jitter),
        ValidationFraction = parse.GetValue(ValidationFraction),
        InitCheckpoint = parse.GetValue(Init)?.FullName,
        LossWeights = parse.GetValue(Weights),
        Resume = parse.GetValue(Resume),
        Threads = parse.GetValue(Threads),
        Device = parse.GetValue(Device)!,
        LicenceNote = parse.GetValue(LicenceNote),
    };
}
