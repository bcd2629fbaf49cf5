using PainService.Api.Errors;
using PainService.Api.Models;
using PainService.Api.Security;
using PainService.Jobs;

namespace PainService.Api.Jobs;

/// <summary>
/// Training jobs for the worker (issue 4): <c>POST /v1/jobs</c>, <c>GET /v1/jobs</c>, <c>GET /v1/jobs/{id}</c>,
/// <c>POST /v1/jobs/{id}/cancel</c>, all admin. Submissions and cancellations, refused ones included, go to the audit log.
/// </summary>
public static class JobsApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/jobs").WithTags("Jobs").RequireAuthorization(SecuritySetup.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/", SubmitAsync).WithName("SubmitJob")
            .WithSummary("Queue a relabel, sft, train or evaluate job for the worker (admin).")
            .WithDescription("Answers 202 with the queued job and its Location. options are the worker's CLI options in camelCase "
                + "(e.g. {\"preset\":\"ci\",\"epochs\":5,\"init\":\"job:<sft job id>\"}); the worker fails a job whose options it does not "
                + "know, with the reason in message. 400 codes: invalid_job_request, invalid_job_kind, missing_dataset, invalid_fold, invalid_job_options.")
            .Accepts<JobRequest>("application/json")
            .Produces<JobResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/", ListAsync).WithName("ListJobs")
            .WithSummary("Jobs newest first, optionally only those with one status (admin).")
            .WithDescription($"status: queued, running, succeeded, failed or cancelled. limit: 1–{MaxPageSize} (default {DefaultPageSize}).")
            .Produces<JobList>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", GetAsync).WithName("GetJob")
            .WithSummary("One job: status, progress, metrics, and the registry version of its model once it has one (admin).")
            .Produces<JobResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/cancel", CancelAsync).WithName("CancelJob")
            .WithSummary("Cancel a job (admin).")
            .WithDescription("A queued job is cancelled at once (200, status cancelled). A running job gets a cancel request that its worker "
                + "acts on at its next heartbeat (202, cancelRequested true). A finished job cannot be cancelled (409 job_finished).")
            .Produces<JobResponse>()
            .Produces<JobResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<IResult> SubmitAsync(HttpContext context, JobQueue queue, AuditLog audit, CancellationToken cancellation)
    {
        var actor = Actor(context);
        try
        {
            var submission = await JobRequestReader.ReadAsync(context.Request, cancellation);
            var job = await queue.RunAsync(s => s.SubmitAsync(submission, cancellation), cancellation);
            audit.Record(actor, "job.submit", job.Id, $"Queued: {job.Kind.Wire()} on {job.Dataset} fold {job.Fold}");
            return TypedResults.Accepted($"/v1/jobs/{job.Id}", JobResponse.From(job));
        }
        catch (ApiProblemException e)
        {
            audit.Record(actor, "job.submit", "-", $"Rejected: {e.Problem.Code}");
            return e.Problem.ToResult(context);
        }
    }

    public static async Task<IResult> ListAsync(string? status, string? limit, HttpContext context, JobQueue queue, CancellationToken cancellation)
    {
        try
        {
            JobStatus? filter = null;
            if (!string.IsNullOrEmpty(status))
                filter = Enum.GetValues<JobStatus>().Where(s => string.Equals(s.Wire(), status, StringComparison.OrdinalIgnoreCase)).Cast<JobStatus?>().FirstOrDefault()
                    ?? throw Bad(JobErrorCodes.InvalidJobStatus, $"status must be one of {string.Join(", ", Enum.GetValues<JobStatus>().Select(s => s.Wire()))}.");
            var size = DefaultPageSize;
            if (!string.IsNullOrEmpty(limit) && !(int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) && size is >= 1 and <= MaxPageSize))
                throw Bad(JobErrorCodes.InvalidLimit, $"limit must be an integer from 1 to {MaxPageSize}.");
            var jobs = await queue.RunAsync(s => s.ListAsync(size, filter, cancellation), cancellation);
            return TypedResults.Ok(new JobList(jobs.Select(j => JobResponse.From(j)).ToList(), size));
        }
        catch (ApiProblemException e)
        {
            return e.Problem.ToResult(context);
        }
    }

    public static async Task<IResult> GetAsync(string id, HttpContext context, JobQueue queue, ModelRegistry registry, CancellationToken cancellation)
    {
        try
        {
            var job = await queue.RunAsync(s => s.GetAsync(id, cancellation), cancellation);
            return job is null
                ? NotFound(id).ToResult(context)
                : TypedResults.Ok(JobResponse.From(job, JobModels.RegistryVersion(job, registry)));
        }
        catch (ApiProblemException e)
        {
            return e.Problem.ToResult(context);
        }
    }

    public static async Task<IResult> CancelAsync(string id, HttpContext context, JobQueue queue, AuditLog audit, CancellationToken cancellation)
    {
        var actor = Actor(context);
        try
        {
            var before = await queue.RunAsync(s => s.GetAsync(id, cancellation), cancellation) ?? throw new ApiProblemException(NotFound(id));
            if (before.Status.IsTerminal())
                throw new ApiProblemException(Finished(before));
            var after = (await queue.RunAsync(s => s.CancelAsync(id, cancellation), cancellation))!;
            // The worker may have finished it between the two statements.
            if (after.Status.IsTerminal() && after.Status != JobStatus.Cancelled)
                throw new ApiProblemException(Finished(after));
            var done = after.Status == JobStatus.Cancelled;
            audit.Record(actor, "job.cancel", id, done ? "Cancelled" : "CancelRequested");
            return done ? TypedResults.Ok(JobResponse.From(after)) : TypedResults.Accepted($"/v1/jobs/{id}", JobResponse.From(after));
        }
        catch (ApiProblemException e)
        {
            audit.Record(actor, "job.cancel", id, $"Rejected: {e.Problem.Code}");
            return e.Problem.ToResult(context);
        }
    }

    private static string Actor(HttpContext context) => context.User.Identity?.Name ?? "anonymous";

    private static ApiProblemException Bad(string code, string detail) => new(new ApiProblem(400, code, "Invalid job query", detail));

    private static ApiProblem NotFound(string id) => new(404, JobErrorCodes.JobNotFound, "Job not found", $"No job has id '{id}'.");

    private static ApiProblem Finished(JobRecord job) =>
        new(409, JobErrorCodes.JobFinished, "Job already finished", $"Job '{job.Id}' is {job.Status.Wire()}: only queued or running jobs can be cancelled.");
}
