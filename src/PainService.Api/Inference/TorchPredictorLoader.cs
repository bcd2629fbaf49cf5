using Microsoft.Extensions.Options;
using PainService.Model.Inference;

namespace PainService.Api.Inference;

/// <summary>The real model from the "Model" section: a native checkpoint, or the embedded untrained reference.</summary>
public sealed class TorchPredictorLoader(IOptions<PainModelOptions> options) : IPredictorLoader
{
    public IPainPredictor Load() => PainModelFactory.CreatePredictor(options.Value);

    public IPainPredictor LoadCheckpoint(string path)
    {
        var o = options.Value;
        // Scheme left unset: a registry checkpoint carries its own.
        return PainModelFactory.CreatePredictor(new PainModelOptions
        {
            CheckpointPath = path, Device = o.Device, IntraOpThreads = o.IntraOpThreads, Name = o.Name, FuseConvBn = o.FuseConvBn,
        });
    }
}
