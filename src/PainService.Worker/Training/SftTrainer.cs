using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Model.Training;
using PainService.Worker.Datasets;
using PainService.Worker.Evaluation;
using PainService.Worker.Progress;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Worker.Training;

/// <summary>
/// Stage 1, AU supervised fine-tuning (spec §6.2): the AU model on an undersampled training list (rules or a frame
/// list, <see cref="SftSampling"/>), weighted asymmetric loss with -1 labels masked and the formula AU weights of
/// the selected rows, validated by mean AU F1 on held-out training subjects.
/// </summary>
public sealed class SftTrainer : Trainer
{
    private readonly GraphAuNet _net;
    private readonly Tensor _auWeights;
    private readonly UnbcSplit _validation;
    private readonly FrameCache _validationFrames;
    private readonly LoadReport? _init;
    private readonly IReadOnlyList<string> _validationSubjects;
    private readonly LossWeights _weights;
    private readonly JsonObject _sampling;

    /// <summary>The run folder's list of the frames trained after undersampling (<c>sft-frames.txt</c>).</summary>
    public const string FramesFile = "sft-frames.txt";

    public SftTrainer(TrainingOptions options, TrainingProgress progress) : base(options, progress)
    {
        var full = UnbcDatasetReader.Read(options.Dataset, DatasetSplit.Train,
            new DatasetReadOptions { Fold = options.Fold, Scheme = options.Scheme, ListFolder = options.ListFolder, RequireAuLabels = true });
        var (train, validation, held) = ValidationSplit.Carve(full, options.ValidationFraction, options.Seed);
        TrainSplit = train.Select(options.Sampling.SelectRows(train, options.Seed));
        // The frames actually trained, one image path per line (usable again as --frame-list), and the rule that chose them.
        Directory.CreateDirectory(options.OutputDirectory);
        var framesFile = Path.Combine(options.OutputDirectory, FramesFile);
        var frames = string.Join('\n', TrainSplit.ImagePaths) + "\n";
        AtomicFile.WriteText(framesFile, frames);
        _sampling = new JsonObject
        {
            ["rule"] = options.Sampling.Describe(options.Seed),
            ["candidates"] = train.Count,
            ["kept"] = TrainSplit.Count,
            ["framesFile"] = framesFile,
            ["framesSha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(frames))),
        };
        _validation = validation;
        _validationSubjects = held;
        // The supplied AU-weight file (spec §2.7) is read and validated here, before training, and cross-checked.
        var layout = new UnbcLayout(options.Dataset, options.ListFolder);
        var weightFile = layout.AuWeights(options.Fold);
        _weights = SuppliedWeights.Choose(Stage, weightFile, SuppliedWeights.Read(weightFile, ActionUnits.DisfaOrder, "AU"), null,
            LabelWeights.ForAuLabels(full.AuLabels!, ActionUnits.DisfaOrder), LabelWeights.ForAuLabels(TrainSplit.AuLabels!, ActionUnits.DisfaOrder),
            options.LossWeights);
        if (_weights.Warning is { } warning)
            Console.WriteLine(warning);
        AuWeights = _weights.Used;
        torch.manual_seed(options.Seed);
        (_net, _init) = CreateNet(options);
        _net.to(Device); // before the optimizer exists, so its state is created beside the parameters
        Architecture = _net.Config;
        Transform = new FrameTransform(Architecture.InputSize, options.CropMode, options.Flip, options.ColorJitter);
        TrainFrames = new FrameCache(TrainSplit);
        _validationFrames = new FrameCache(_validation);
        _auWeights = tensor(AuWeights.Select(w => (float)w).ToArray(), device: Device);
        Console.WriteLine(FormattableString.Invariant(
            $"sft: {TrainSplit.Count} of {train.Count} training frames kept by undersampling ({_sampling["rule"]}; listed in {framesFile}), validation {_validation.Count} frames of [{string.Join(", ", held)}], AU weights [{string.Join(", ", AuWeights.Select(w => w.ToString("0.000")))}] ({(options.LossWeights == WeightSource.Files ? "from " + weightFile : "computed on the training rows")})"));
    }

    public double[] AuWeights { get; }
    protected override string Stage => "sft";
    protected override ModelKind Kind => ModelKind.Stage1;
    protected override nn.Module Model => _net;
    protected override GraphAuConfig Architecture { get; }
    protected override UnbcSplit TrainSplit { get; }
    protected override FrameTransform Transform { get; }
    protected override FrameCache TrainFrames { get; }

    private static (GraphAuNet, LoadReport?) CreateNet(TrainingOptions options)
    {
        if (options.InitCheckpoint is null)
        {
            Console.WriteLine("sft: no --init checkpoint, starting from random weights (the paper starts from ME-GraphAU's DISFA weights)");
            return (new GraphAuNet(ModelPresets.Get(options.Preset, options.Scheme)), null);
        }
        using var reader = NativeCheckpoint.Open(options.InitCheckpoint);
        var net = new GraphAuNet(reader.Manifest.Architecture);
        return (net, LoadInitialWeights(reader, net, "sft", options.InitCheckpoint));
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
        var j = ActionUnits.DisfaOrder.Count;
        var labels = new float[rows.Count * j];
        for (var i = 0; i < rows.Count; i++)
            TrainSplit.AuLabels![rows[i]].CopyTo(labels, i * j);
        var output = _net.call(images);
        return PainLosses.WeightedAsymmetricLoss(output.AuScores, tensor(labels, [rows.Count, j], device: Device), _auWeights);
    }

    protected override ValidationResult Validate(CancellationToken cancellationToken)
    {
        var scores = SplitPredictor.Run(_net, x => _net.call(x).AuScores, _validation, _validationFrames, Transform, Options.BatchSize, null, cancellationToken);
        var labels = _validation.AuLabels!;
        var metrics = AuMetrics.Compute(scores, labels);
        var loss = ManagedWal(scores, labels);
        var json = new JsonObject
        {
            ["loss"] = loss,
            ["meanF1"] = metrics.MeanF1,
            ["meanAccuracy"] = metrics.MeanAccuracy,
            ["f1"] = new JsonObject(ActionUnits.DisfaOrder.Select((au, k) => KeyValuePair.Create(au, (JsonNode?)JsonValue.Create(metrics.F1[k])))),
        };
        return new ValidationResult(loss, metrics.MeanF1, metrics.MeanAccuracy, json);
    }

    /// <summary>The WAL value of spec §5.1 on managed scores (validation only, no gradient), -1 labels skipped.</summary>
    private double ManagedWal(IReadOnlyList<float[]> scores, IReadOnlyList<float[]> labels)
    {
        double sum = 0;
        long known = 0;
        for (var i = 0; i < scores.Count; i++)
            for (var k = 0; k < scores[i].Length; k++)
            {
                if (labels[i][k] < 0)
                    continue;
                double p = scores[i][k], y = labels[i][k];
                sum += AuWeights[k] * (y * Math.Log(Math.Max(p, 1e-8)) + p * (1 - y) * Math.Log(Math.Max(1 - p, 1e-8)));
                known++;
            }
        return -sum / Math.Max(1, known);
    }

    protected override JsonObject Metadata(TrainingState state) => new()
    {
        ["provenance"] = WithSampling(Provenance.Build(Stage, Options, state, _init, TrainingDevice.Name(Device), _weights.Note)),
        ["auWeights"] = JsonSerializer.SerializeToNode(AuWeights),
        ["history"] = JsonSerializer.SerializeToNode(state.History, EvaluationReport.Json),
    };

    private JsonObject WithSampling(JsonObject provenance)
    {
        provenance["sampling"] = _sampling.DeepClone();
        return provenance;
    }

    public override void Dispose()
    {
        _auWeights.Dispose();
        base.Dispose();
    }
}
