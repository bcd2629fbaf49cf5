using PainService.Jobs;
using PainService.Worker.Training;

namespace PainService.Worker.Jobs;

/// <summary>
/// The worker loop of <c>painservice-worker run</c>: claim a job (or a dead worker's stale one), run it on its own
/// thread while a heartbeat loop reports progress and watches for cancellation or loss of ownership, then record
/// the outcome. A run that throws is queued again (up to <see cref="JobStoreOptions.MaxAttempts"/>) and resumes from
/// its last checkpoint; a user error (bad dataset, options, device) fails at once. On shutdown the running job is left Running: its heartbeat stops, it goes stale, and the next
/// worker re-claims it and resumes from its last checkpoint.
/// </summary>
public sealed class JobWorker(IJobStore store, JobStoreOptions options, string workerId, TextWriter log)
{
    public string WorkerId { get; } = workerId;

    /// <summary>auto | cpu | cuda[:N] for jobs whose options name no <c>device</c> (<c>Model:Device</c> / <c>run --device</c>).</summary>
    public string Device { get; init; } = TrainingDevice.Auto;

    /// <summary>Observer of every epoch a training job completes (and of the state a resumed run restores).</summary>
    public Action<JobRecord, TrainingState>? AfterEpoch { get; init; }

    private int MaxAttempts => Math.Max(1, options.MaxAttempts);

    public static string NewWorkerId() => $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Runs until cancelled, or (with <paramref name="exitWhenIdle"/>) until no job is left to claim.</summary>
    /// <returns>How many jobs this worker finished (any final status).</returns>
    public async Task<int> RunAsync(bool exitWhenIdle, int? maxJobs, CancellationToken cancellationToken)
    {
        var runner = new JobRunner(store, options.WorkDirectory, Device) { AfterEpoch = AfterEpoch };
        var finished = 0;
        while (!cancellationToken.IsCancellationRequested && (maxJobs is null || finished < maxJobs))
        {
            var job = await store.ClaimAsync(WorkerId, options.StaleAfter, cancellationToken);
            if (job is null)
            {
                if (exitWhenIdle)
                    break;
                await Task.Delay(options.PollInterval, cancellationToken);
                continue;
            }
            await log.WriteLineAsync($"worker {WorkerId}: claimed {job.Kind.Wire()} job {job.Id} (attempt {job.Attempts})");
            if (await RunOneAsync(runner, job, cancellationToken))
                finished++;
        }
        return finished;
    }

    /// <returns>True when the job reached a final status here; false when it was left for another worker.</returns>
    private async Task<bool> RunOneAsync(JobRunner runner, JobRecord job, CancellationToken shutdown)
    {
        if (job.CancelRequested)
            return await store.CompleteAsync(job.Id, WorkerId, JobStatus.Cancelled, null, "cancelled", cancellationToken: CancellationToken.None);
        var progress = new JobProgress();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var cancelRequested = false;
        var lost = false;
        var work = Task.Factory.StartNew(() => runner.Run(job, progress, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(options.HeartbeatInterval, CancellationToken.None));
            if (work.IsCompleted)
                break;
            var snapshot = progress.Current;
            var beat = await store.HeartbeatAsync(job.Id, WorkerId, snapshot.Fraction, snapshot.MetricsJson, snapshot.Message, CancellationToken.None);
            if (!beat.Owned)
                lost = true;
            cancelRequested |= beat.CancelRequested;
            if (!beat.Owned || beat.CancelRequested)
                await stop.CancelAsync();
        }
        try
        {
            var outcome = await work;
            var done = await store.CompleteAsync(job.Id, WorkerId, JobStatus.Succeeded, outcome.Metrics.ToJsonString(), outcome.Message, outcome.ResultPath, CancellationToken.None);
            await log.WriteLineAsync($"worker {WorkerId}: job {job.Id} succeeded: {outcome.Message}");
            return done;
        }
        catch (OperationCanceledException) when (cancelRequested)
        {
            await log.WriteLineAsync($"worker {WorkerId}: job {job.Id} cancelled");
            return await store.CompleteAsync(job.Id, WorkerId, JobStatus.Cancelled, progress.Current.MetricsJson, "cancelled while running", cancellationToken: CancellationToken.None);
        }
        catch (OperationCanceledException) when (lost || shutdown.IsCancellationRequested)
        {
            await log.WriteLineAsync($"worker {WorkerId}: job {job.Id} left running ({(lost ? "another worker owns it now" : "shutting down")}); it resumes from its last checkpoint when re-claimed");
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException && !UserError.Is(e) && job.Attempts < MaxAttempts)
        {
            // A crash inside the run (e.g. a libtorch error mid-epoch): the job folder keeps its last checkpoint, so
            // the next claim — usually this worker's very next one — resumes after the last completed epoch.
            await log.WriteLineAsync($"worker {WorkerId}: job {job.Id} attempt {job.Attempts} of {MaxAttempts} failed ({e.GetType().Name}: {e.Message}); queued again to resume from its last checkpoint");
            await store.RequeueAsync(job.Id, WorkerId, Describe(e), CancellationToken.None);
            return false;
        }
        catch (Exception e)
        {
            var final = UserError.Is(e) || e is OperationCanceledException ? e.Message : $"failed on attempt {job.Attempts} of {MaxAttempts}: {Describe(e)}";
            await log.WriteLineAsync($"worker {WorkerId}: job {job.Id} failed: {final}");
            return await store.CompleteAsync(job.Id, WorkerId, JobStatus.Failed, progress.Current.MetricsJson, final, cancellationToken: CancellationToken.None);
        }
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
