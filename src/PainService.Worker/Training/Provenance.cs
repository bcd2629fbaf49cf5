using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Model.Checkpoints;
using PainService.Worker.Evaluation;

namespace PainService.Worker.Training;

/// <summary>
/// The provenance block of a trained model's manifest: dataset and its licence, fold, subjects, options, seeds,
/// initialisation and intended use — so a model version in the API can be traced to exactly what made it.
/// </summary>
public static class Provenance
{
    public const string IntendedUse =
        "Research on automatic pain-intensity estimation from face images (GraphAU-Pain reproduction). Not a medical device; " +
        "not validated for clinical decisions; performance on people unlike the training subjects is unknown.";

    /// <summary>Licence text from the dataset's <c>dataset.json</c> (written by <c>synth</c>), else the run's note.</summary>
    public static (string Name, string Licence) DatasetInfo(string root, string? licenceNote)
    {
        var file = Path.Combine(root, "dataset.json");
        if (File.Exists(file) && JsonNode.Parse(File.ReadAllText(file)) is JsonObject info)
            return (info["name"]?.GetValue<string>() ?? Path.GetFileName(root), info["licence"]?.GetValue<string>() ?? licenceNote ?? "unknown");
        return (Path.GetFileName(Path.GetFullPath(root).TrimEnd('/')), licenceNote ?? "not recorded: pass --licence-note (UNBC-McMaster is licensed for research use only)");
    }

    /// <param name="device">The device the run trained on (<see cref="TrainingDevice.Name"/>).</param>
    /// <param name="lossWeights">Which loss weights were used and how the dataset's weight file compared (<see cref="Datasets.SuppliedWeights"/>).</param>
    public static JsonObject Build(string stage, TrainingOptions options, TrainingState state, LoadReport? init, string device, JsonObject? lossWeights = null)
    {
        var (name, licence) = DatasetInfo(options.Dataset, options.LicenceNote);
        var block = new JsonObject
        {
            ["stage"] = stage,
            ["dataset"] = new JsonObject { ["path"] = Path.GetFullPath(options.Dataset), ["name"] = name, ["licence"] = licence, ["lists"] = options.ListFolder },
            ["fold"] = options.Fold,
            ["scheme"] = options.Scheme.ToString(),
            ["subjects"] = new JsonObject
            {
                ["train"] = Strings(state.TrainSubjects),
                ["validation"] = Strings(state.ValidationSubjects),
                ["test"] = $"the fold-{options.Fold} test list; never used for training or checkpoint selection",
            },
            ["trainFrames"] = state.TrainFrames,
            ["epochsDone"] = state.EpochsDone,
            ["bestEpoch"] = state.BestEpoch,
            ["seed"] = options.Seed,
            ["device"] = device,
            ["options"] = JsonSerializer.SerializeToNode(options with { Sampling = options.Sampling }, EvaluationReport.Json),
            ["intendedUse"] = IntendedUse,
            ["trainedAtUtc"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        if (lossWeights is not null)
            block["lossWeights"] = lossWeights.DeepClone();
        if (init is not null)
            block["init"] = new JsonObject
            {
                ["checkpoint"] = options.InitCheckpoint,
                ["loadedKeys"] = init.Loaded.Count,
                ["notLoaded"] = Strings(init.Missing),
                ["ignored"] = Strings(init.Unexpected),
            };
        return block;
    }

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
}
