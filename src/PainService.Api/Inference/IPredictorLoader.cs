using PainService.Model.Inference;

namespace PainService.Api.Inference;

/// <summary>
/// Creates the serving predictor (a configured checkpoint or the embedded untrained reference model).
/// <see cref="Load"/> runs on the inference thread at start-up; <see cref="LoadCheckpoint"/> runs on a short-lived
/// thread of its own (an activation), whose model is warmed up there and then handed to the inference thread whole.
/// </summary>
public interface IPredictorLoader
{
    /// <summary>The configured model (Model:CheckpointPath, or the embedded untrained reference).</summary>
    IPainPredictor Load();

    /// <summary>A registry checkpoint, with the rest of the Model settings (device, threads) as configured.</summary>
    IPainPredictor LoadCheckpoint(string path);
}
