using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Jobs;
using PainService.Model;
using PainService.Worker.Datasets;
using PainService.Worker.Training;

namespace PainService.Worker.Jobs;

/// <summary>
/// A job's <c>options</c> object, read with the same names as the CLI flags in camelCase
/// (<c>{"preset":"ci","epochs":12,"lr":0.002,"crop":"Fixed","init":"job:ID"}</c>). Unknown keys are an error, so a typo
/// never silently trains with defaults. <c>"job:ID"</c> for a checkpoint means "the result of that earlier job".
/// </summary>
public sealed class JobOptions
{
    private static readonly HashSet<string> Known =
    [
        "lists", "scheme", "preset", "epochs", "stopAfter", "batchSize", "lr", "weightDecay", "seed", "crop", "flip", "jitter",
        "validationFraction", "init", "temperatureScaling", "evaluateTest", "keepNoAu", "dropFraction", "dropMaxPspi", "frameList",
        "licenceNote", "threads", "checkpoint", "split", "legacyCopyBug", "device", "weights", "predictions", "labels",
    ];

    private readonly JsonObject _values;

    public JobOptions(string json)
    {
        try
        {
            _values = JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) as JsonObject
                ?? throw new ArgumentException("job options must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"job options are not valid JSON: {e.Message}");
        }
        var unknown = _values.Select(kv => kv.Key).Where(k => !Known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown job option(s): {string.Join(", ", unknown)}; known: {string.Join(", ", Known.Order())}");
    }

    public T Get<T>(string name, T fallback)
    {
        if (_values[name] is not { } node)
            return fallback;
        try
        {
            if (typeof(T).IsEnum || Nullable.GetUnderlyingType(typeof(T))?.IsEnum == true)
                return (T)Enum.Parse(Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), node.GetValue<string>(), ignoreCase: true);
            return node.Deserialize<T>()!;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ArgumentException($"job option '{name}': {node.ToJsonString()} is not a valid {typeof(T).Name}");
        }
    }

    public TrainingOptions Training(TrainingOptions defaults, JobRecord job, string output, Func<string, string> resolveCheckpoint) => defaults with
    {
        Dataset = job.Dataset,
        Fold = job.Fold,
        OutputDirectory = output,
        ListFolder = Get("lists", defaults.ListFolder),
        Scheme = Get("scheme", defaults.Scheme),
        Preset = Get("preset", defaults.Preset),
        Epochs = Get("epochs", defaults.Epochs),
        StopAfter = Get<int?>("stopAfter", defaults.StopAfter),
        BatchSize = Get("batchSize", defaults.BatchSize),
        LearningRate = Get("lr", defaults.LearningRate),
        WeightDecay = Get("weightDecay", defaults.WeightDecay),
        Seed = Get("seed", defaults.Seed),
        CropMode = Get("crop", defaults.CropMode),
        Flip = Get("flip", defaults.Flip),
        ColorJitter = Get("jitter", defaults.ColorJitter),
        ValidationFraction = Get("validationFraction", defaults.ValidationFraction),
        InitCheckpoint = Get<string?>("init", null) is { } init ? resolveCheckpoint(init) : null,
        TemperatureScaling = Get("temperatureScaling", false),
        LossWeights = Get("weights", defaults.LossWeights),
        LicenceNote = Get<string?>("licenceNote", null),
        Threads = Get("threads", 0),
        Device = Get("device", defaults.Device),
        // A re-claimed job continues its own run folder after the last completed epoch.
        Resume = true,
        Sampling = new SftSampling
        {
            ExcludeNoActiveAu = !Get("keepNoAu", false),
            DropFraction = Get("dropFraction", 0.0),
            OverRepresentedMaxPspi = Get("dropMaxPspi", 0.0),
            FrameList = Get<string?>("frameList", null),
        },
    };

    public DatasetSplit Split => Get("split", DatasetSplit.Test);

    public PainScheme Scheme => Get("scheme", PainScheme.ThreeLevel);
}
