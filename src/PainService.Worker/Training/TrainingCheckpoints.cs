using System.Text.Json.Nodes;
using PainService.Model;
using PainService.Model.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GcSafeAdamW = PainService.Model.Training.GcSafe.AdamW;

namespace PainService.Worker.Training;

/// <summary>
/// The run folder: <c>epoch{N}.ckpt</c> after every epoch (1-based, like the authors' files), <c>last.ckpt</c> (what
/// --resume reads), <c>best.ckpt</c> (best validation epoch: the model to ship). Each is a native checkpoint written
/// atomically, with the optimizer state and <see cref="TrainingState"/> as extra sections. Weights and optimizer
/// state of a GPU run need no explicit copy: TorchSharp's tensor serialisation writes a device tensor through a CPU
/// copy and loads into the target tensor's own device, so a checkpoint from CUDA reads anywhere and a resume restores
/// onto the run's device.
/// </summary>
public sealed class TrainingCheckpoints(string directory)
{
    public string Directory { get; } = directory;

    public string Last => Path.Combine(Directory, "last.ckpt");

    public string Best => Path.Combine(Directory, "best.ckpt");

    public string Epoch(int epoch) => Path.Combine(Directory, $"epoch{epoch}.ckpt");

    public void Save(int epoch, CheckpointManifest manifest, nn.Module model, GcSafeAdamW optimizer, TrainingState state, bool isBest)
    {
        var sections = new Dictionary<string, Action<Stream>>
        {
            [TrainingState.OptimizerSection] = s =>
            {
                using var writer = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
                optimizer.save_state_dict(writer);
            },
            [TrainingState.Section] = state.Write,
        };
        var epochFile = Epoch(epoch);
        NativeCheckpoint.Save(epochFile, manifest, model, sections);
        // Copies are renamed into place, so last/best are always complete files even if the process dies here. Best
        // goes first: once last says this epoch is done (and names it best), best.ckpt already holds it; a death in
        // between only makes the resumed run train this epoch again and write the same best.
        if (isBest)
            AtomicFile.Write(Best, temp => File.Copy(epochFile, temp));
        AtomicFile.Write(Last, temp => File.Copy(epochFile, temp));
    }

    /// <summary>Restores weights (strictly), optimizer state and training state from <see cref="Last"/>; null if none.</summary>
    public TrainingState? Resume(nn.Module model, GcSafeAdamW optimizer, string stage)
    {
        if (!File.Exists(Last))
            return null;
        using var reader = NativeCheckpoint.Open(Last);
        using (var s = reader.OpenSection(TrainingState.Section))
        {
            var state = TrainingState.Read(s);
            if (state.Stage != stage)
                throw new InvalidOperationException($"{Last} is a '{state.Stage}' run, not '{stage}': use another output folder");
            reader.LoadWeightsInto(model);
            using var optimizerStream = reader.OpenSection(TrainingState.OptimizerSection);
            using var binary = new BinaryReader(optimizerStream);
            optimizer.load_state_dict(binary);
            return state;
        }
    }

    public static CheckpointManifest Manifest(ModelKind kind, GraphAuConfig architecture, PainScheme scheme, string version, JsonObject metadata) => new()
    {
        Model = kind,
        Architecture = architecture,
        Scheme = scheme,
        Name = kind == ModelKind.Pain ? "GraphAU-Pain" : "GraphAU-Pain-SFT",
        Version = version,
        Trained = true,
        Metadata = metadata,
    };
}
