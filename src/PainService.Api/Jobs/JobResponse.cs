using System.Text.Json.Nodes;
using PainService.Jobs;

namespace PainService.Api.Jobs;

/// <summary>A job as the API shows it: wire names for kind and status, options and metrics as JSON objects.</summary>
/// <param name="Progress">Fraction done, 0–1.</param>
/// <param name="Metrics">Latest metrics: per-epoch history while training, the evaluation when done.</param>
/// <param name="Message">Last status line, or the error of a failed job.</param>
/// <param name="ResultPath">The job's main output as the worker wrote it (a train job's best.ckpt).</param>
/// <param name="ModelVersion">The registry version of that output when it is a checkpoint inside the model registry: activate it with POST /v1/models/{version}/activate.</param>
/// <param name="Attempts">Claims so far (more than 1 after a worker died, or an attempt failed, and the job was resumed).</param>
/// <param name="LastError">The error of the latest failed attempt, also when a retry then succeeded (Jobs:MaxAttempts).</param>
public sealed record JobResponse(
    string Id,
    string Kind,
    string Dataset,
    int Fold,
    JsonNode? Options,
    string Status,
    double Progress,
    JsonNode? Metrics,
    string? Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? WorkerId,
    DateTimeOffset? HeartbeatAt,
    int Attempts,
    bool CancelRequested,
    string? ResultPath,
    string? ModelVersion,
    string? LastError)
{
    public static JobResponse From(JobRecord job, string? modelVersion = null) => new(
        job.Id, job.Kind.Wire(), job.Dataset, job.Fold, ParseObject(job.Options), job.Status.Wire(), job.Progress,
        ParseObject(job.Metrics), job.Message, job.CreatedAt, job.StartedAt, job.FinishedAt, job.WorkerId, job.HeartbeatAt,
        job.Attempts, job.CancelRequested, job.ResultPath, modelVersion, job.LastError);

    // A row written by another tool may hold text that is not JSON; show it as a string rather than fail the listing.
    private static JsonNode? ParseObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}

/// <summary>The job listing, newest first.</summary>
/// <param name="Limit">The page bound that applied; fewer jobs than this means there are no older ones (with that filter).</param>
public sealed record JobList(IReadOnlyList<JobResponse> Jobs, int Limit);
