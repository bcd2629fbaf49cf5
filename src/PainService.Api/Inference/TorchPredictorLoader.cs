using Microsoft.Extensions.Options;
using PainService.Model.Inference;

namespace PainService.Api.Inference;

/// <summary>The real model from the "Model" section: a native checkpoint, or the embedded untrained reference.</summary>
public sealed class TorchPredictorLoader(IOptions<PainModelOptions> options) : IPredictorLoader
{
    public IPainPredictor Load() => PainModelFactory.CreatePredictor(options.Value);
}
