using System.Diagnostics;
using Microsoft.Extensions.Options;
using PainService.Api.Batching;
using PainService.Api.Errors;
using PainService.Api.Observability;
using PainService.Vision;
using PainService.Vision.Imaging;

namespace PainService.Api.Predictions;

/// <summary>
/// <c>POST /v1/pain/predict-batch</c>: several frames in one request. Frames are prepared concurrently and queued as
/// they become ready, so they share forward passes; each succeeds or fails alone, and the answer lists them in order.
/// </summary>
public static class PredictBatchHandler
{
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        PredictionService predictions,
        ServiceMetrics metrics,
        IOptions<VisionOptions> vision,
        IOptions<BatchingOptions> batching,
        CancellationToken cancellation)
    {
        // One duration per HTTP call, as for /v1/pain/predict (the frames' outcomes are counted one by one).
        var started = Stopwatch.GetTimestamp();
        var result = await AnswerAsync(context, predictions, metrics, vision, batching, cancellation);
        metrics.EndToEnd.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result;
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, PredictionService predictions, ServiceMetrics metrics,
        IOptions<VisionOptions> vision, IOptions<BatchingOptions> batching, CancellationToken cancellation)
    {
        IDisposable admission;
        try
        {
            admission = predictions.Admit();
        }
        catch (ServiceUnavailableException e)
        {
            metrics.RecordOutcome("rejected", e.Code);
            return ApiProblem.From(e, batching.Value.RetryAfterSeconds).ToResult(context);
        }
        using var _ = admission;
        IReadOnlyList<UploadedFrame> frames;
        try
        {
            predictions.RequireReadyModel();
            frames = await FrameUploadReader.ReadAsync(context.Request, vision.Value.MaxUploadBytes,
                batching.Value.MaxFramesPerRequest, cancellation);
        }
        catch (ApiProblemException e)
        {
            metrics.RecordOutcome("client_error", e.Problem.Code);
            return e.Problem.ToResult(context);
        }
        catch (ServiceUnavailableException e)
        {
            metrics.RecordOutcome("rejected", e.Code);
            return ApiProblem.From(e, batching.Value.RetryAfterSeconds).ToResult(context);
        }

        // Task.Run: decode/detect is CPU work; running the frames side by side keeps the batcher fed.
        var results = await Task.WhenAll(frames.Select(f => Task.Run(() => PredictFrameAsync(f, predictions, metrics,
            batching.Value.RetryAfterSeconds, cancellation), cancellation)));
        if (results.Any(r => r.Result is { Model.Trained: false }))
            context.Response.Headers.Warning = PredictionsApi.UntrainedWarning;
        // Frames refused for capacity or shutdown (503 queue_full / request_timeout / shutting_down / ...) are worth
        // retrying: the answer says when, as a single prediction's 503 does.
        if (results.Any(r => r.Status == StatusCodes.Status503ServiceUnavailable))
            context.Response.Headers.RetryAfter = batching.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(new BatchPredictResponse(results));
    }

    private static async Task<FrameResult> PredictFrameAsync(UploadedFrame frame, PredictionService predictions,
        ServiceMetrics metrics, int retryAfterSeconds, CancellationToken cancellation)
    {
        ApiProblem problem;
        try
        {
            var response = await predictions.PredictAsync(frame.Image, cancellation);
            metrics.RecordOutcome("success", "ok");
            return new FrameResult(frame.Id, 200, response, null);
        }
        catch (ImageRejectedException e)
        {
            problem = ApiProblem.From(e);
        }
        catch (ServiceUnavailableException e)
        {
            problem = ApiProblem.From(e, retryAfterSeconds);
        }
        catch (ModelOutputInvalidException e)
        {
            problem = ApiProblem.From(e);
        }
        metrics.RecordOutcome(ServiceMetrics.OutcomeOf(problem.Status), problem.Code);
        return new FrameResult(frame.Id, problem.Status, null, new FrameProblem(problem.Title, problem.Status, problem.Detail, problem.Code));
    }
}
