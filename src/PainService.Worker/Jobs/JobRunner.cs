using System.Text.Json;
using System.Text.Json.Nodes;
using PainService.Jobs;
using PainService.Model;
using PainService.Worker.Evaluation;
using PainService.Worker.Progress;
using PainService.Worker.Training;

namespace PainService.Worker.Jobs;

/// <summary>What a finished job hands back to the store.</summary>
public sealed record JobOutcome(string ResultPath, JsonObject Metrics, string Message);

/// <summary>
/// Runs one claimed job with the same code as its CLI command, in the job's own folder under the work directory.
/// Training jobs always resume from that folder, so a job re-claimed after its worker died continues after its last
/// completed epoch instead of starting over.
/// </summary>
public sealed class JobRunner(IJobStore store, string workDirectory, string device = TrainingDevice.Auto)
{
    /// <summary>Called after every completed epoch of a training job, and with the restored state when it resumes.</summary>
    public Action<JobRecord, TrainingState>? AfterEpoch { get; init; }

    public string FolderOf(JobRecord job) => Path.Combine(Path.GetFullPath(workDirectory), job.Id);

    public JobOutcome Run(JobRecord job, JobProgress progress, CancellationToken cancellationToken)
    {
        var options = new JobOptions(job.Options);
        var folder = FolderOf(job);
        Directory.CreateDirectory(folder);
        return job.Kind switch
        {
            JobKind.Sft => Sft(job, options, folder, progress, cancellationToken),
            JobKind.Train => Train(job, options, folder, progress, cancellationToken),
            JobKind.Evaluate => Evaluate(job, options, folder, progress, cancellationToken),
            JobKind.Relabel => Relabel(job, options, folder, progress, cancellationToken),
            _ => throw new ArgumentException($"unknown job kind {job.Kind}"),
        };
    }

    private JobOutcome Sft(JobRecord job, JobOptions options, string folder, JobProgress progress, CancellationToken cancellationToken)
    {
        var training = options.Training(TrainingOptions.ForSft(job.Dataset, folder) with { Device = device }, job, folder, ResolveCheckpoint);
        using var trainer = new SftTrainer(training, Console(progress, training)) { EpochCompleted = s => Epoch(job, progress, s, training) };
        var state = trainer.Run(cancellationToken);
        return new JobOutcome(trainer.Checkpoints.Best, Summary(state), $"sft done: best epoch {state.BestEpoch}");
    }

    private JobOutcome Train(JobRecord job, JobOptions options, string folder, JobProgress progress, CancellationToken cancellationToken)
    {
        var training = options.Training(TrainingOptions.ForPain(job.Dataset, folder) with { Device = device }, job, folder, ResolveCheckpoint);
        var result = PainTrainingRun.Execute(training, options.Get("evaluateTest", true), Console(progress, training), s => Epoch(job, progress, s, training), cancellationToken);
        var metrics = Summary(result.State);
        if (result.TestMetrics is { } test)
            metrics["test"] = test.DeepClone();
        if (result.Temperature is { } t)
            metrics["temperature"] = t;
        return new JobOutcome(result.BestCheckpoint, metrics, $"train done: best epoch {result.State.BestEpoch}");
    }

    private JobOutcome Evaluate(JobRecord job, JobOptions options, string folder, JobProgress progress, CancellationToken cancellationToken)
    {
        if (options.Get<string?>("predictions", null) is { } predictions)
        {
            // The authors' one-hot line files, as `evaluate --predictions P --labels L`; relative paths are under the dataset.
            var labels = options.Get<string?>("labels", null) ?? throw new ArgumentException("an evaluate job with options.predictions needs options.labels");
            var fromFiles = PredictionFiles.Evaluate(Path.Combine(job.Dataset, predictions), Path.Combine(job.Dataset, labels),
                options.Get<PainScheme?>("scheme", null), folder);
            progress.Report(1.0);
            return new JobOutcome(folder, CheckpointEvaluation.Summary(fromFiles), $"evaluated: macro-F1 {100 * fromFiles.Macro.F1:0.00}");
        }
        var checkpoint = ResolveCheckpoint(options.Get<string?>("checkpoint", null)
            ?? throw new ArgumentException("an evaluate job needs options.checkpoint (or options.predictions and options.labels)"));
        var report = CheckpointEvaluation.Run(checkpoint, job.Dataset, job.Fold, options.Get("lists", "list"), folder, options.Split,
            progress: new TrainingProgress(TextWriter.Null, false) { OnUpdate = (_, f, _) => progress.Report(f) }, cancellationToken: cancellationToken,
            device: options.Get("device", device));
        return new JobOutcome(folder, CheckpointEvaluation.Summary(report), $"evaluated: macro-F1 {100 * report.Macro.F1:0.00}");
    }

    private JobOutcome Relabel(JobRecord job, JobOptions options, string folder, JobProgress progress, CancellationToken cancellationToken) =>
        RelabelJob.Run(job.Dataset, job.Fold, options, ResolveCheckpoint, folder, options.Get("device", device), progress, cancellationToken);

    /// <summary>"job:ID" → that job's result (it must have succeeded); anything else is a path.</summary>
    private string ResolveCheckpoint(string reference)
    {
        if (!reference.StartsWith("job:", StringComparison.Ordinal))
            return reference;
        var id = reference["job:".Length..];
        var source = store.GetAsync(id).GetAwaiter().GetResult() ?? throw new ArgumentException($"job {id} does not exist");
        return source is { Status: JobStatus.Succeeded, ResultPath: { } path }
            ? path
            : throw new InvalidOperationException($"job {id} has not succeeded (status {source.Status.Wire()}): its result cannot be used yet");
    }

    private static TrainingProgress Console(JobProgress progress, TrainingOptions training) =>
        new(System.Console.Out, live: false)
        {
            OnUpdate = (phase, fraction, loss) =>
            {
                var done = progress.Current.Fraction * training.LastEpoch;
                var epoch = Math.Floor(done + 1e-9);
                progress.Report((epoch + Math.Min(fraction, 0.999)) / training.LastEpoch, FormattableString.Invariant($"{phase}: loss {loss:0.0000}"));
            },
        };

    private void Epoch(JobRecord job, JobProgress progress, TrainingState state, TrainingOptions training)
    {
        progress.Report((double)state.EpochsDone / training.LastEpoch, $"epoch {state.EpochsDone}/{training.LastEpoch} done", Summary(state));
        AfterEpoch?.Invoke(job, state);
    }

    private static JsonObject Summary(TrainingState state) => new()
    {
        ["epochsDone"] = state.EpochsDone,
        ["bestEpoch"] = state.BestEpoch,
        ["bestValidationScore"] = double.IsFinite(state.BestScore) ? state.BestScore : null,
        ["history"] = JsonSerializer.SerializeToNode(state.History, EvaluationReport.Json),
    };
}
