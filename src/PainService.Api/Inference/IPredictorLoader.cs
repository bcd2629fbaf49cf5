using PainService.Model.Inference;

namespace PainService.Api.Inference;

/// <summary>
/// Creates the serving predictor (a configured checkpoint or the embedded untrained reference model).
/// Called on the inference thread, because libtorch state created there is used there.
/// </summary>
public interface IPredictorLoader
{
    IPainPredictor Load();
}
