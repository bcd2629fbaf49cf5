using System.Diagnostics;
using Microsoft.Extensions.Options;
using PainService.Api.Batching;
using PainService.Api.Errors;
using PainService.Api.Observability;
using PainService.Api.Security;
using PainService.Vision;
using PainService.Vision.Imaging;

namespace PainService.Api.Predictions;

/// <summary>The prediction endpoints: <c>POST /v1/pain/predict</c>.</summary>
public static class PredictionsApi
{
    public const string UntrainedWarning = "299 - \"untrained model: not for clinical use\"";

    public static RouteGroupBuilder MapPredictions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/pain").WithTags("Pain").RequireAuthorization(SecuritySetup.PredictPolicy)
            .RequirePerClientRateLimit()
            .WithMetadata(new PredictionRequestMetadata())
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/predict", PredictAsync)
            .WithName("Predict")
            .WithSummary("Estimate the pain level of the largest face in one photo.")
            .WithDescription("Send the photo as multipart/form-data (file field `image`) or as a raw image/* or "
                + "application/octet-stream body (JPEG, PNG, WebP, BMP, GIF). The largest face is detected, cropped and "
                + "run through GraphAU-Pain. `actionUnits[].probability` is the AU head's cosine score: it was trained as "
                + "an occurrence probability in stage 1 (AU detection) and is not re-calibrated by pain training. "
                + "When the embedded untrained reference model answers, `model.trained` is false and the response "
                + "carries `Warning: 299 - \"untrained model: not for clinical use\"`. With `?faces=all` (or "
                + "Vision:FacePolicy=All) every detected face is scored and the answer is `{\"faces\":[…]}`, largest first.")
            .WithMetadata(new ImageUploadMetadata())
            .Produces<PredictResponse>(StatusCodes.Status200OK)
            .Produces<MultiFacePredictResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/predict-batch", PredictBatchHandler.HandleAsync)
            .WithName("PredictBatch")
            .WithSummary("Estimate pain for several frames in one request; per-frame results in order.")
            .WithDescription("multipart/form-data with one file part per frame; each part's field name is the frame's "
                + "client-supplied id. Frames are processed independently (a corrupt or face-less frame gets its own "
                + "status and problem, the others their results) and listed in the order sent. Per-frame fields are "
                + "those of /v1/pain/predict.")
            .WithMetadata(new ImageUploadMetadata(MultiFrame: true))
            .Produces<BatchPredictResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    public static async Task<IResult> PredictAsync(
        HttpContext context,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "faces")] string? faces,
        PredictionService predictions,
        ServiceMetrics metrics,
        IOptions<VisionOptions> vision,
        IOptions<BatchingOptions> batching,
        CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        ApiProblem problem;
        try
        {
            using var admission = predictions.Admit();
            predictions.RequireReadyModel();
            var image = await ImageUploadReader.ReadAsync(context.Request, vision.Value.MaxUploadBytes, cancellation);
            var policy = FacePolicyOf(faces, vision.Value.FacePolicy);
            var responses = await predictions.PredictFacesAsync(image, policy, cancellation);
            if (!responses[0].Model.Trained)
                context.Response.Headers.Warning = UntrainedWarning;
            metrics.RecordOutcome("success", "ok");
            metrics.EndToEnd.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return policy == FacePolicy.All
                ? TypedResults.Ok(new MultiFacePredictResponse(responses))
                : TypedResults.Ok(responses[0]);
        }
        catch (ApiProblemException e)
        {
            problem = e.Problem;
        }
        catch (ImageRejectedException e)
        {
            problem = ApiProblem.From(e);
        }
        catch (ServiceUnavailableException e)
        {
            problem = ApiProblem.From(e, batching.Value.RetryAfterSeconds);
        }
        catch (ModelOutputInvalidException e)
        {
            problem = ApiProblem.From(e);
        }
        metrics.RecordOutcome(ServiceMetrics.OutcomeOf(problem.Status), problem.Code);
        metrics.EndToEnd.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return problem.ToResult(context);
    }

    /// <summary><c>?faces=all|largest</c> overrides Vision:FacePolicy for one request.</summary>
    private static FacePolicy FacePolicyOf(string? faces, FacePolicy configured) => faces?.ToLowerInvariant() switch
    {
        null or "" => configured,
        "all" => FacePolicy.All,
        "largest" => FacePolicy.Largest,
        _ => throw new ApiProblemException(new ApiProblem(400, ErrorCodes.BadRequest, "Bad faces parameter",
            "The faces parameter must be 'largest' or 'all'.")),
    };
}

/// <summary>Marks endpoints whose body is uploaded images; the OpenAPI transformer describes the body from it.</summary>
public sealed record ImageUploadMetadata(bool MultiFrame = false);
