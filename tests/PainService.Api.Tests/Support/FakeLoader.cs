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

    /// <summary>Every checkpoint "loaded" so far, in order.</summary>
    public List<FakePredictor> Loaded { get; } = [];

    /// <summary>When set, each checkpoint load waits for it (a slow load the test releases).</summary>
    public ManualResetEventSlim? CheckpointGate { get; init; }

    /// <summary>Set when a checkpoint load has started (and possibly blocks on <see cref="CheckpointGate"/>).</summary>
    public ManualResetEventSlim CheckpointEntered { get; } = new(false);

    /// <summary>Set when a checkpoint load has returned its predictor (the warm-up comes next).</summary>
    public ManualResetEventSlim CheckpointLoaded { get; } = new(false);

    /// <summary>The name of the thread the last checkpoint load ran on.</summary>
    public string? CheckpointThread { get; private set; }

    /// <summary>The first N checkpoint loads throw FileNotFoundException (the store remounting after the registry listed it).</summary>
    public int CheckpointMissingFirst { get; init; }

    public int CheckpointAttempts { get; private set; }

    /// <summary>
    /// Reads the manifest like the real loader; metadata "fail": true makes the load throw, "failWarmUp": true gives
    /// a predictor whose every forward (the warm-up first) throws.
    /// </summary>
    public IPainPredictor LoadCheckpoint(string path)
    {
        CheckpointThread = Thread.CurrentThread.Name;
        CheckpointEntered.Set();
        if (++CheckpointAttempts <= CheckpointMissingFirst)
            throw new FileNotFoundException($"Could not find file '{path}'.");
        if (CheckpointGate is { } gate && !gate.Wait(TimeSpan.FromSeconds(60)))
            throw new TimeoutException("the test never opened the checkpoint gate");
        using var reader = NativeCheckpoint.Open(path);
        var manifest = reader.Manifest;
        if (manifest.Metadata["fail"] is not null)
            throw new InvalidDataException("checkpoint weights are truncated");
        var loaded = new FakePredictor(manifest.Trained, version: manifest.Version, sha256: NativeCheckpoint.Sha256OfFile(path));
        if (manifest.Metadata["failWarmUp"] is not null)
            loaded.Throw = new InvalidOperationException("the new model's forward pass failed");
        lock (Loaded)
            Loaded.Add(loaded);
        CheckpointLoaded.Set();
        return loaded;
    }
}
