using Microsoft.Extensions.Options;
using PainService.Api.Inference;
using PainService.Api.Tests.Support;
using PainService.Model.Inference;

namespace PainService.Api.Tests.Jobs;

/// <summary>
/// Starts the app on a fake model (fast start) but loads registry checkpoints with the production loader, so the
/// activated model is the real network the worker trained.
/// </summary>
public sealed class RegistryCheckpointLoader : IPredictorLoader
{
    private readonly TorchPredictorLoader _real = new(Options.Create(new PainModelOptions { Device = "cpu", IntraOpThreads = 1 }));

    public IPainPredictor Load() => new FakePredictor();

    public IPainPredictor LoadCheckpoint(string path) => _real.LoadCheckpoint(path);
}
