namespace PainService.Api.Jobs;

/// <summary>
/// Stable problem+json <c>code</c> values of the job endpoints (kept beside them, in the spirit of
/// <see cref="Errors.ErrorCodes"/>: clients branch on these, so they never change meaning).
/// </summary>
public static class JobErrorCodes
{
    // 400
    public const string InvalidJobRequest = "invalid_job_request";
    public const string InvalidJobKind = "invalid_job_kind";
    public const string MissingDataset = "missing_dataset";
    public const string InvalidFold = "invalid_fold";
    public const string InvalidJobOptions = "invalid_job_options";
    public const string InvalidJobStatus = "invalid_job_status";
    public const string InvalidLimit = "invalid_limit";
    // 404 / 409
    public const string JobNotFound = "job_not_found";
    public const string JobFinished = "job_finished";
    // 503
    public const string JobStoreUnavailable = "job_store_unavailable";
}
