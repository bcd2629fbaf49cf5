namespace PainService.Jobs;

/// <summary>
/// The durable job queue. Claiming is atomic: of several workers racing on one queue exactly one gets each job.
/// A Running job whose heartbeat is older than the stale limit counts as orphaned and can be claimed again.
/// </summary>
public interface IJobStore
{
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task<JobRecord> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken = default);

    Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(int limit = 100, JobStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>Claims the oldest queued job, or else the oldest running job with a stale heartbeat; null when none.</summary>
    Task<JobRecord?> ClaimAsync(string workerId, TimeSpan staleAfter, CancellationToken cancellationToken = default);

    Task<HeartbeatResult> HeartbeatAsync(string id, string workerId, double progress, string? metrics, string? message, CancellationToken cancellationToken = default);

    /// <summary>Sets the final status if <paramref name="workerId"/> still owns the job; false otherwise. A failure's message also becomes its last error.</summary>
    /// <param name="resultPath">The job's main output (e.g. the trained checkpoint) for the API's model registry.</param>
    Task<bool> CompleteAsync(string id, string workerId, JobStatus status, string? metrics, string? message, string? resultPath = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a running job whose attempt failed back in the queue (its folder, and so its last checkpoint, stays) and
    /// records <paramref name="error"/> as its last error; false if <paramref name="workerId"/> no longer owns it.
    /// </summary>
    Task<bool> RequeueAsync(string id, string workerId, string error, CancellationToken cancellationToken = default);

    /// <summary>Queued jobs are cancelled at once; running ones get a cancel request the worker sees at its next heartbeat.</summary>
    Task<JobRecord?> CancelAsync(string id, CancellationToken cancellationToken = default);
}
