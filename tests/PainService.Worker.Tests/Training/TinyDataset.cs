using PainService.Worker.Synthetic;

namespace PainService.Worker.Tests.Training;

/// <summary>A few-second synthetic set for training-mechanics tests (not for learning quality).</summary>
internal static class TinyDataset
{
    public static string Create(string root, int subjects = 6, int frames = 16)
    {
        SyntheticDatasetGenerator.Generate(root, new SynthOptions { Subjects = subjects, FramesPerSubject = frames, Folds = 2, Seed = 11, NoPainShare = 0.5, ObviousShare = 0.2 });
        return root;
    }

    /// <summary>CLI flags of a tiny, fast stage-2 run on that set.</summary>
    public static string[] TrainArgs(string dataset, string output, int epochs) =>
        ["train", "--dataset", dataset, "--out", output, "--preset", "ci", "--epochs", epochs.ToString(), "--batch-size", "8", "--lr", "1e-3",
         "--validation-fraction", "0.34", "--threads", "1"];

    /// <summary>The options of a train job with exactly the settings of <see cref="TrainArgs"/> (and no test-fold evaluation).</summary>
    public static string TrainJobOptions(int epochs) => new System.Text.Json.Nodes.JsonObject
    {
        ["preset"] = "ci", ["epochs"] = epochs, ["batchSize"] = 8, ["lr"] = 1e-3, ["validationFraction"] = 0.34, ["threads"] = 1, ["evaluateTest"] = false,
    }.ToJsonString();
}
