using PainService.Model.Inference;

namespace PainService.Api.Inference;

/// <summary>
/// Creates the serving predictor (a configured checkpoint or the embedded untrained reference model).
/// Called on the inference thread, because libtorch state created there is used there.
/// </summary>
public interface IPredictorLoader
{
    /// <summary>The configured model (Model:CheckpointPath, or the embedded untrained reference).</summary>
    IPainPredictor Load();

    /// <summary>A registry checkpoint, with the rest of the Model settings (device, threads) as configured.</summary>
    IPainPredictor LoadCheckpoint(string path);
}
