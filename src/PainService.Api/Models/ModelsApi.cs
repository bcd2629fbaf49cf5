using Microsoft.Extensions.Options;
using PainService.Api.Batching;
using PainService.Api.Errors;
using PainService.Api.Inference;
using PainService.Api.Security;

namespace PainService.Api.Models;

/// <summary>The model registry: <c>GET /v1/models</c>, <c>GET /v1/models/{version}</c>, <c>POST /v1/models/{version}/activate</c> (admin).</summary>
public static class ModelsApi
{
    public static RouteGroupBuilder MapModels(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/models").WithTags("Models").RequireAuthorization(SecuritySetup.PredictPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/", List).WithName("ListModels").WithSummary("The active model and every registry version.");
        group.MapGet("/{version}", Get).WithName("GetModel").WithSummary("One model version.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{version}/activate", ActivateAsync).WithName("ActivateModel")
            .WithSummary("Load and warm up a registry version beside the active one, then swap atomically (admin).")
            .WithDescription("The new model is loaded and warmed up on its own thread while the old one keeps serving; "
                + "requests in flight finish on the old model and no request fails during the swap. A failed load keeps "
                + "the old model active (422 model_load_failed). One activation at a time: another one meanwhile gets 409 "
                + "activation_in_progress. The call answers when the new model serves (or the activation failed).")
            .RequireAuthorization(SecuritySetup.AdminPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    public static ModelList List(ModelRegistry registry, ModelHost models)
    {
        var active = models.Active?.Descriptor;
        var entries = registry.List().Select(e => ModelInfo.From(e, active)).ToList();
        return new ModelList(active is null ? null : entries.FirstOrDefault(e => e.Active) ?? ModelInfo.From(active), entries);
    }

    public static IResult Get(string version, ModelRegistry registry, ModelHost models, HttpContext context)
    {
        var active = models.Active?.Descriptor;
        if (registry.Find(version) is { } entry)
            return TypedResults.Ok(ModelInfo.From(entry, active));
        if (active is not null && active.Version == version)
            return TypedResults.Ok(ModelInfo.From(active));
        return NotFound(version).ToResult(context);
    }

    /// <summary>Not cancelled when the caller disconnects: an accepted activation runs to its end (and is audited).</summary>
    public static async Task<IResult> ActivateAsync(string version, ModelActivator activator, HttpContext context,
        IOptions<BatchingOptions> batching)
    {
        var actor = context.User.Identity?.Name ?? "anonymous";
        var result = await activator.ActivateAsync(version, actor);
        return result.Outcome switch
        {
            ActivationOutcome.Activated or ActivationOutcome.AlreadyActive => TypedResults.Ok(ModelInfo.From(result.Model!)),
            ActivationOutcome.NotFound => NotFound(version).ToResult(context),
            ActivationOutcome.Refused => new ApiProblem(422, ErrorCodes.ModelRefused, "Model refused", result.Message).ToResult(context),
            ActivationOutcome.Busy => new ApiProblem(409, ErrorCodes.ActivationInProgress, "Activation in progress", result.Message).ToResult(context),
            ActivationOutcome.SwapFailed => new ApiProblem(503, ErrorCodes.InferenceFailed, "Model not swapped", result.Message,
                batching.Value.RetryAfterSeconds).ToResult(context),
            _ => new ApiProblem(422, ErrorCodes.ModelLoadFailed, "Model load failed", result.Message).ToResult(context),
        };
    }

    private static ApiProblem NotFound(string version) =>
        new(404, ErrorCodes.ModelNotFound, "Model not found", $"No model has version '{version}'.");
}
