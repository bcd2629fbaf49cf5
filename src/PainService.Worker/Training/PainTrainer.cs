using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Model;
using PainService.Model.Inference;
using PainService.Model.Checkpoints;
using PainService.Model.Training;
using PainService.Worker.Datasets;
using PainService.Worker.Evaluation;
using PainService.Worker.Progress;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Worker.Training;

/// <summary>
/// Stage 2 (spec §6.3): GraphAU-Pain initialised from an SFT checkpoint (shared keys; fc_au, fc_bb, fc_pe, fc fresh
/// and reported), weighted cross-entropy with the formula class weights of the training portion, per-epoch macro-F1
/// on a validation split carved from the training subjects. The test fold is not read here at all.
/// </summary>
public sealed class PainTrainer : Trainer
{
    private readonly GraphAuPainNet _net;
    private readonly Tensor _classWeights;
    private readonly FrameCache _validationFrames;
    private readonly LoadReport? _init;
    private readonly IReadOnlyList<string> _validationSubjects;
    private readonly LossWeights _weights;

    public PainTrainer(TrainingOptions options, TrainingProgress progress) : base(options, progress)
    {
        var full = UnbcDatasetReader.Read(options.Dataset, DatasetSplit.Train,
            new DatasetReadOptions { Fold = options.Fold, Scheme = options.Scheme, ListFolder = options.ListFolder, RequirePainLabels = true });
        (TrainSplit, ValidationData, _validationSubjects) = ValidationSplit.Carve(full, options.ValidationFraction, options.Seed);
        // The supplied class-weight file (spec §2.7) is read and validated here, before training, and cross-checked.
        var layout = new UnbcLayout(options.Dataset, options.ListFolder);
        var (supplied, skipped) = SuppliedWeights.ReadClassWeights(layout, options.Fold, options.Scheme);
        _weights = SuppliedWeights.Choose(Stage, layout.ClassWeights(options.Fold), supplied, skipped,
            LabelWeights.ForClasses(full.PainClasses!, options.Scheme.Labels()), LabelWeights.ForClasses(TrainSplit.PainClasses!, options.Scheme.Labels()),
            options.LossWeights);
        if (_weights.Warning is { } warning)
            Console.WriteLine(warning);
        ClassWeights = _weights.Used;
        torch.manual_seed(options.Seed);
        (_net, _init) = CreateNet(options);
        _net.to(Device); // before the optimizer exists, so its state is created beside the parameters
        Architecture = _net.Config;
        Transform = new FrameTransform(Architecture.InputSize, options.CropMode, options.Flip, options.ColorJitter);
        TrainFrames = new FrameCache(TrainSplit);
        _validationFrames = new FrameCache(ValidationData);
        _classWeights = tensor(ClassWeights.Select(w => (float)w).ToArray(), device: Device);
        Console.WriteLine(FormattableString.Invariant(
            $"train: {TrainSplit.Count} frames of {TrainSplit.Subjects.Count} subjects, validation {ValidationData.Count} frames of [{string.Join(", ", _validationSubjects)}], class weights [{string.Join(", ", ClassWeights.Select(w => w.ToString("0.0000")))}] ({(options.LossWeights == WeightSource.Files ? "from " + layout.ClassWeights(options.Fold) : "computed on the training rows")})"));
    }

    public UnbcSplit ValidationData { get; }
    public GraphAuPainNet Net => _net;
    public double[] ClassWeights { get; }

    /// <summary>The provenance's <c>lossWeights</c> block: source, the file's weights, the formula's, the check and any warning.</summary>
    public JsonObject LossWeightsNote => (JsonObject)_weights.Note.DeepClone();
    protected override string Stage => "train";
    protected override ModelKind Kind => ModelKind.Pain;
    protected override nn.Module Model => _net;
    protected override GraphAuConfig Architecture { get; }
    protected override UnbcSplit TrainSplit { get; }
    protected override FrameTransform Transform { get; }
    protected override FrameCache TrainFrames { get; }

    private static (GraphAuPainNet, LoadReport?) CreateNet(TrainingOptions options)
    {
        if (options.InitCheckpoint is null)
        {
            Console.WriteLine("train: no --init checkpoint, starting from random weights (the paper starts from the SFT checkpoint)");
            return (new GraphAuPainNet(ModelPresets.Get(options.Preset, options.Scheme)), null);
        }
        using var reader = NativeCheckpoint.Open(options.InitCheckpoint);
        var net = new GraphAuPainNet(reader.Manifest.Architecture with { ClassCount = options.Scheme.ClassCount() });
        return (net, LoadInitialWeights(reader, net, "train", options.InitCheckpoint));
    }

    protected override TrainingState InitialState() => new()
    {
        Stage = Stage,
        Seed = Options.Seed,
        TrainSubjects = TrainSplit.Subjects,
        ValidationSubjects = _validationSubjects,
        TrainFrames = TrainSplit.Count,
    };

    protected override Tensor Loss(Tensor images, IReadOnlyList<int> rows)
    {
        var classes = Options.Scheme.ClassCount();
        var oneHot = new float[rows.Count * classes];
        for (var i = 0; i < rows.Count; i++)
            oneHot[i * classes + TrainSplit.PainClasses![rows[i]]] = 1;
        var output = _net.call(images);
        return PainLosses.WeightedCrossEntropy(output.Logits, tensor(oneHot, [rows.Count, classes], device: Device), _classWeights);
    }

    public List<float[]> ValidationLogits(CancellationToken cancellationToken) =>
        SplitPredictor.Run(_net, x => _net.call(x).Logits, ValidationData, _validationFrames, Transform, Options.BatchSize, null, cancellationToken);

    protected override ValidationResult Validate(CancellationToken cancellationToken)
    {
        var logits = ValidationLogits(cancellationToken);
        var actual = ValidationData.PainClasses!;
        var loss = logits.Select((z, i) => -ClassWeights[actual[i]] * Math.Log(Math.Max(Calibration.Probabilities(z)[actual[i]], 1e-8))).Average();
        var metrics = PainMetrics.Compute(
            ConfusionMatrix.FromLabels(actual, logits.Select(ConfusionMatrix.ArgMax).ToList(), Options.Scheme.ClassCount()), Options.Scheme.Labels());
        var json = new JsonObject
        {
            ["loss"] = loss,
            ["macroF1"] = metrics.Macro.F1,
            ["accuracy"] = metrics.Accuracy,
            ["meanOneVsRestAccuracy"] = metrics.MeanOneVsRestAccuracy,
            ["f1"] = new JsonObject(metrics.Classes.Select(c => KeyValuePair.Create(c.Name, (JsonNode?)JsonValue.Create(c.F1)))),
            ["confusion"] = JsonSerializer.SerializeToNode(metrics.Confusion.ToArray()),
        };
        return new ValidationResult(loss, metrics.Macro.F1, metrics.Accuracy, json);
    }

    protected override JsonObject Metadata(TrainingState state) => new()
    {
        ["provenance"] = Provenance.Build(Stage, Options, state, _init, TrainingDevice.Name(Device), _weights.Note),
        ["classWeights"] = JsonSerializer.SerializeToNode(ClassWeights),
        ["history"] = JsonSerializer.SerializeToNode(state.History, EvaluationReport.Json),
    };

    public override void Dispose()
    {
        _classWeights.Dispose();
        base.Dispose();
    }
}
