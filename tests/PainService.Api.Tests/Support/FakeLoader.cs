using PainService.Api.Inference;
using PainService.Model.Checkpoints;
using PainService.Model.Inference;

namespace PainService.Api.Tests.Support;

/// <summary>Hands out the given predictor, optionally after a gate opens or by throwing.</summary>
public sealed class FakeLoader(IPainPredictor predictor) : IPredictorLoader
{
    public ManualResetEventSlim? Gate { get; init; }

    public Exception? Throw { get; init; }

    /// <summary>The first N loads throw FileNotFoundException (a model store mount that is late).</summary>
    public int MissingFirst { get; init; }

    public int Attempts { get; private set; }

    public IPainPredictor Load()
    {
        Gate?.Wait(TimeSpan.FromSeconds(30));
        if (++Attempts <= MissingFirst)
            throw new FileNotFoundException("Model checkpoint '/models/best.ckpt' (Model:CheckpointPath) does not exist.");
        if (Throw is { } e)
            throw e;
        return predictor;
    }

    /// <summary>Every checkpoint "loaded" so far, by path.</summary>
    public List<FakePredictor> Loaded { get; } = [];

    /// <summary>Reads the manifest like the real loader; metadata "fail": true makes the load throw.</summary>
    public IPainPredictor LoadCheckpoint(string path)
    {
        using var reader = NativeCheckpoint.Open(path);
        var manifest = reader.Manifest;
        if (manifest.Metadata["fail"] is not null)
            throw new InvalidDataException("checkpoint weights are truncated");
        var loaded = new FakePredictor(manifest.Trained, version: manifest.Version, sha256: NativeCheckpoint.Sha256OfFile(path));
        Loaded.Add(loaded);
        return loaded;
    }
}
