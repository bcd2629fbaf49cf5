using System.Diagnostics;
using System.Text.Json.Nodes;
using PainService.Model;
using PainService.Model.Checkpoints;
using PainService.Model.Training;
using PainService.Worker.Datasets;
using PainService.Worker.Evaluation;
using PainService.Worker.Progress;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GcSafeAdamW = PainService.Model.Training.GcSafe.AdamW;

namespace PainService.Worker.Training;

/// <summary>One epoch's validation outcome; <see cref="Score"/> selects the best checkpoint (higher is better).</summary>
public sealed record ValidationResult(double Loss, double Score, double Accuracy, JsonObject Metrics);

/// <summary>
/// The epoch loop shared by SFT and pain training: AdamW, the per-iteration cosine LR set before every step,
/// the §3.2 train transform, validation after every epoch, and a checkpoint after every epoch (weights, optimizer,
/// <see cref="TrainingState"/>) so <c>--resume</c> continues after the last completed epoch.
/// </summary>
public abstract class Trainer : IDisposable
{
    protected Trainer(TrainingOptions options, TrainingProgress progress)
    {
        options.Validate();
        // First, before the dataset is read: an unusable --device must fail at once, not after minutes of loading.
        Device = TrainingDevice.Resolve(options.Device);
        Console.WriteLine($"{Stage}: device {TrainingDevice.Name(Device)} (--device {options.Device})");
        Options = options;
        Progress = progress;
        Checkpoints = new TrainingCheckpoints(options.OutputDirectory);
        if (options.Threads > 0)
            torch.set_num_threads(options.Threads);
    }

    protected TrainingOptions Options { get; }

    /// <summary>Where the model, batches, labels and loss weights live; checkpoints are written from CPU copies.</summary>
    public Device Device { get; }
    protected TrainingProgress Progress { get; }
    public TrainingCheckpoints Checkpoints { get; }
    protected abstract string Stage { get; }
    protected abstract ModelKind Kind { get; }
    protected abstract nn.Module Model { get; }
    protected abstract GraphAuConfig Architecture { get; }
    protected abstract UnbcSplit TrainSplit { get; }
    protected abstract FrameTransform Transform { get; }
    protected abstract FrameCache TrainFrames { get; }

    /// <summary>Forward pass and loss for a batch of training rows.</summary>
    protected abstract Tensor Loss(Tensor images, IReadOnlyList<int> rows);

    protected abstract ValidationResult Validate(CancellationToken cancellationToken);

    /// <summary>Manifest metadata (provenance, metrics …) for a checkpoint written after <paramref name="state"/>.</summary>
    protected abstract JsonObject Metadata(TrainingState state);

    protected abstract TrainingState InitialState();

    /// <summary>Called after every epoch (the job worker reports progress and metrics from here).</summary>
    public Action<TrainingState>? EpochCompleted { get; init; }

    public TrainingState Run(CancellationToken cancellationToken = default)
    {
        using var optimizer = new GcSafeAdamW(Model.parameters(), Options.LearningRate, Options.Beta1, Options.Beta2, Options.Eps, Options.WeightDecay);
        var state = InitialState();
        if (Options.Resume && Checkpoints.Resume(Model, optimizer, Stage) is { } resumed)
        {
            state = resumed;
            Console.WriteLine($"{Stage}: resuming after epoch {state.EpochsDone} from {Checkpoints.Last}");
            EpochCompleted?.Invoke(state); // observers (the job heartbeat) start from the restored progress
        }
        else if (File.Exists(Checkpoints.Last))
            throw new InvalidOperationException($"{Checkpoints.Last} exists: pass --resume to continue that run, or use another output folder");
        var iterations = CosineSchedule.Iterations(TrainSplit.Count, Options.BatchSize);
        var schedule = new CosineSchedule(Options.LearningRate, Options.Epochs, iterations);
        for (var epoch = state.EpochsDone; epoch < Options.LastEpoch; epoch++)
        {
            var clock = Stopwatch.StartNew();
            AugmentSeconds = 0;
            var (trainLoss, lr) = TrainEpoch(optimizer, schedule, epoch, iterations, cancellationToken);
            var trainSeconds = clock.Elapsed.TotalSeconds;
            var validation = Validate(cancellationToken);
            var record = new EpochRecord(epoch + 1, trainLoss, validation.Loss, validation.Score, validation.Accuracy, lr, clock.Elapsed.TotalSeconds, TrainSplit.Count);
            var isBest = validation.Score > state.BestScore;
            state = state with
            {
                EpochsDone = epoch + 1,
                History = [.. state.History, record],
                BestEpoch = isBest ? epoch + 1 : state.BestEpoch,
                BestScore = isBest ? validation.Score : state.BestScore,
            };
            var metadata = Metadata(state);
            metadata["validation"] = validation.Metrics.DeepClone();
            metadata["created"] = DateTimeOffset.UtcNow.ToString("O");
            Checkpoints.Save(epoch + 1, TrainingCheckpoints.Manifest(Kind, Architecture, Options.Scheme, Version(epoch + 1), metadata), Model, optimizer, state, isBest);
            Console.WriteLine(FormattableString.Invariant(
                $"{Stage} epoch {epoch + 1}/{Options.LastEpoch}: train loss {trainLoss:0.0000}, validation loss {validation.Loss:0.0000}, score {100 * validation.Score:0.00}, {record.Seconds:0.0} s (training {1000 * trainSeconds / Math.Max(1, record.Images):0.0} s per 1,000 images, of which augmentation {1000 * AugmentSeconds / Math.Max(1, record.Images):0.0}){(isBest ? " (best)" : "")}"));
            EpochCompleted?.Invoke(state);
        }
        return state;
    }

    private (double Loss, double LastLr) TrainEpoch(GcSafeAdamW optimizer, CosineSchedule schedule, int epoch, int iterations, CancellationToken cancellationToken)
    {
        Model.train();
        torch.manual_seed(Batches.Seed(Options.Seed, epoch));
        var order = Enumerable.Range(0, TrainSplit.Count).ToArray();
        new Random(Batches.Seed(Options.Seed, epoch)).Shuffle(order);
        Progress.Start($"{Stage} epoch {epoch + 1}/{Options.LastEpoch}", iterations);
        var lr = Options.LearningRate;
        for (var it = 0; it < iterations; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = order.Skip(it * Options.BatchSize).Take(Options.BatchSize).ToArray();
            var inputs = new float[rows.Length][];
            var started = Stopwatch.GetTimestamp();
            Parallel.For(0, rows.Length, i => inputs[i] = Transform.Train(TrainFrames[rows[i]], new Random(Batches.Seed(Options.Seed, epoch, rows[i]))));
            AugmentSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            lr = schedule.At(epoch, it);
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = lr;
            using var scope = NewDisposeScope();
            var loss = Loss(Batches.Stack(inputs, Transform.InputSize, Device), rows);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            Progress.Step(rows.Length, loss.cpu().item<float>());
        }
        return (Progress.Finish(), lr);
    }

    /// <summary>Wall time spent decoding and augmenting (the rest of an epoch is the network and validation).</summary>
    public double AugmentSeconds { get; private set; }

    /// <summary>
    /// Model versions are unique per run folder (a job's folder is its id), because the API's model registry keys
    /// checkpoints by version: <c>RUN-e14</c>.
    /// </summary>
    private string Version(int epoch) => $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Options.OutputDirectory)))}-e{epoch}";

    public virtual void Dispose() => Model.Dispose();

    /// <summary>
    /// Loads an initial checkpoint non-strictly on purpose (spec §6.5, Q3): an SFT checkpoint lacks the pain head,
    /// a DISFA MEFL checkpoint the ANFL GNN. Those keys start fresh; every key left out is printed and returned.
    /// </summary>
    protected static LoadReport LoadInitialWeights(NativeCheckpointReader reader, nn.Module net, string stage, string path)
    {
        var report = reader.LoadWeightsInto(net, allowPartial: true);
        Console.WriteLine($"{stage}: initialised from {path}: {report.Describe()}");
        return report;
    }
}
