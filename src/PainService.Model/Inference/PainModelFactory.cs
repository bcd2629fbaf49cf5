using System.Collections.Concurrent;
using PainService.Model.Checkpoints;
using PainService.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Inference;

/// <summary>Builds the served model from <see cref="PainModelOptions"/>: a native checkpoint, or the embedded untrained reference.</summary>
public static class PainModelFactory
{
    public const string UntrainedVersion = "untrained-reference";

    // The embedded weights are a pure function of (scheme, name), so their serialisation hash is computed once per process.
    private static readonly ConcurrentDictionary<(PainScheme, string), string> EmbeddedSha256 = new();

    /// <summary>
    /// Loads the model on the CPU, applies the thread setting, moves it to the configured device and wraps it.
    /// The descriptor's WeightsSha256 is the SHA-256 of the checkpoint file's bytes, or for the embedded model of its
    /// deterministic native serialisation (the bytes <see cref="NativeCheckpoint.Write"/> gives); its Temperature is the
    /// checkpoint's calibration (<see cref="Calibration.TemperatureOf"/>; an unusable value fails the load), else 1.
    /// </summary>
    public static TorchPainPredictor CreatePredictor(PainModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IntraOpThreads > 0)
            torch.set_num_threads(options.IntraOpThreads);
        var device = ResolveDevice(options.Device);

        GraphAuPainNet net;
        ModelDescriptor descriptor;
        if (string.IsNullOrWhiteSpace(options.CheckpointPath))
        {
            var scheme = options.Scheme ?? PainScheme.ThreeLevel;
            var manifest = UntrainedManifest(scheme, options.Name);
            net = CreateUntrainedReference(scheme);
            var sha = EmbeddedSha256.GetOrAdd((scheme, manifest.Name), _ => NativeCheckpoint.Serialize(manifest, net).Sha256);
            descriptor = new ModelDescriptor(manifest.Name, manifest.Version, sha, Trained: false, scheme, DeviceName(device),
                Architecture: manifest.Architecture);
        }
        else
        {
            var path = options.CheckpointPath;
            if (!File.Exists(path))
                throw new FileNotFoundException($"Model checkpoint '{path}' (Model:CheckpointPath) does not exist.", path);
            (net, var manifest) = LoadCheckpointFile(path);
            double temperature;
            try
            {
                if (options.Scheme is { } wanted && wanted != manifest.Scheme)
                    throw new InvalidOperationException($"Model:Scheme is {wanted} but the checkpoint '{path}' was trained for {manifest.Scheme}.");
                temperature = TemperatureOf(manifest, path);
            }
            catch
            {
                net.Dispose();
                throw;
            }
            descriptor = new ModelDescriptor(manifest.Name, manifest.Version, NativeCheckpoint.Sha256OfFile(path), manifest.Trained, manifest.Scheme,
                DeviceName(device), temperature, manifest.Architecture);
        }

        net.to(device);
        if (options.FuseConvBn)
            net.FuseConvBnForInference();
        return new TorchPainPredictor(net, descriptor, device, options.IntraOpThreads);
    }

    /// <summary>The checkpoint's calibration temperature; an unusable value fails the load naming the file.</summary>
    private static double TemperatureOf(CheckpointManifest manifest, string path)
    {
        try
        {
            return Calibration.TemperatureOf(manifest.Metadata);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Model checkpoint '{Path.GetFileName(path)}': {e.Message}"); // no inner: reasons show the base exception
        }
    }

    /// <summary>
    /// Reads a checkpoint, turning the reader's many failure types on damaged bytes (zip, pickle, libtorch errors)
    /// into one clear message naming the file. I/O errors pass unchanged: a model store may be briefly absent, and
    /// the caller retries those.
    /// </summary>
    private static (GraphAuPainNet Net, CheckpointManifest Manifest) LoadCheckpointFile(string path)
    {
        try
        {
            return NativeCheckpoint.LoadPainModel(path);
        }
        catch (Exception e) when (e is not (IOException or OutOfMemoryException or OperationCanceledException))
        {
            var size = new FileInfo(path) is { Exists: true } info ? $"{info.Length} bytes" : "size unknown";
            throw new InvalidDataException(
                $"Model checkpoint '{Path.GetFileName(path)}' ({size}) is not a readable PainService checkpoint: " +
                $"{e.GetBaseException().Message} ({e.GetBaseException().GetType().Name}).");
        }
    }

    /// <summary>The embedded default: the pain model with the deterministic formula weights of WEIGHTS.md, in eval mode.</summary>
    public static GraphAuPainNet CreateUntrainedReference(PainScheme scheme = PainScheme.ThreeLevel)
    {
        var net = FormulaWeights.Apply(new GraphAuPainNet(GraphAuConfig.ForScheme(scheme)));
        net.eval();
        return net;
    }

    /// <summary>The manifest the embedded model is serialised with (fixed, so its hash is stable).</summary>
    public static CheckpointManifest UntrainedManifest(PainScheme scheme = PainScheme.ThreeLevel, string name = "GraphAU-Pain") => new()
    {
        Model = ModelKind.Pain,
        Architecture = GraphAuConfig.ForScheme(scheme),
        Scheme = scheme,
        Name = name,
        Version = UntrainedVersion,
        Trained = false,
    };

    /// <summary>"auto" → CUDA when available, else CPU; "cpu"; "cuda" / "cuda:N" (fails if CUDA is absent).</summary>
    /// <param name="settingName">Where the setting came from, for the error (the worker passes its <c>--device</c>).</param>
    public static Device ResolveDevice(string? setting, string settingName = "Model:Device")
    {
        var value = (setting ?? "auto").Trim().ToLowerInvariant();
        if (value is "" or "auto")
            return torch.cuda.is_available() ? CUDA : CPU;
        if (value == "cpu")
            return CPU;
        if (value.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new InvalidOperationException($"{settingName} is '{setting}' but TorchSharp reports no CUDA device (this build ships the CPU libtorch).");
            return torch.device(value);
        }
        throw new ArgumentException($"{settingName} must be auto, cpu or cuda[:N] (got '{setting}').");
    }

    private static string DeviceName(Device device) => device.type == DeviceType.CUDA ? "cuda" : "cpu";
}
