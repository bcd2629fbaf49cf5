namespace PainService.Jobs;

/// <summary>A job as stored. Options and Metrics are JSON object texts; times are UTC.</summary>
/// <param name="Options">The job's options (CLI-equivalent settings), a JSON object.</param>
/// <param name="Progress">Fraction of the job done, 0–1.</param>
/// <param name="Metrics">Latest metrics (per-epoch loss/F1 while running, the evaluation at the end), a JSON object.</param>
/// <param name="Message">Last status line, or the error of a failed job.</param>
/// <param name="ResultPath">Where the job writes its outputs (checkpoints, report); resumed from on re-claim.</param>
/// <param name="Attempts">How many times a worker claimed it (more than 1 after a worker died or an attempt failed and was retried).</param>
public sealed record JobRecord(
    string Id,
    JobKind Kind,
    string Dataset,
    int Fold,
    string Options,
    JobStatus Status,
    double Progress,
    string? Metrics,
    string? Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? WorkerId,
    DateTimeOffset? HeartbeatAt,
    int Attempts,
    bool CancelRequested,
    string? ResultPath)
{
    /// <summary>The error of the latest failed attempt (kept when a retry then succeeds); null if none failed.</summary>
    public string? LastError { get; init; }
}

/// <summary>What a client submits (<c>POST /v1/jobs</c> body).</summary>
public sealed record JobSubmission(JobKind Kind, string Dataset, int Fold = 1, string Options = "{}");

/// <summary>What a heartbeat learns: whether this worker still owns the job and whether a cancel was asked for.</summary>
public sealed record HeartbeatResult(bool Owned, bool CancelRequested);
