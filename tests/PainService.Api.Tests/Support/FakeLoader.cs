using PainService.Api.Inference;
using PainService.Model.Inference;

namespace PainService.Api.Tests.Support;

/// <summary>Hands out the given predictor, optionally after a gate opens or by throwing.</summary>
public sealed class FakeLoader(IPainPredictor predictor) : IPredictorLoader
{
    public ManualResetEventSlim? Gate { get; init; }

    public Exception? Throw { get; init; }

    public IPainPredictor Load()
    {
        Gate?.Wait(TimeSpan.FromSeconds(30));
        if (Throw is { } e)
            throw e;
        return predictor;
    }
}
