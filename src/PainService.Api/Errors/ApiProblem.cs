using PainService.Api.Batching;
using PainService.Vision.Imaging;

namespace PainService.Api.Errors;

/// <summary>
/// An expected failure, rendered as RFC 7807 problem+json with the stable <c>code</c> extension member.
/// Detail texts are written for the caller and never carry exception text, file names or image content.
/// </summary>
public sealed record ApiProblem(int Status, string Code, string Title, string Detail, int? RetryAfterSeconds = null)
{
    public static ApiProblem From(ImageRejectedException e) => e.Reason switch
    {
        ImageRejection.Empty => new(400, ErrorCodes.EmptyBody, "Empty image", "The request carried no image bytes."),
        ImageRejection.TooLarge => new(413, ErrorCodes.PayloadTooLarge, "Image too large", e.Message),
        ImageRejection.UnsupportedFormat => new(415, ErrorCodes.UnsupportedFormat, "Unsupported image format",
            "Send a JPEG, PNG, WebP, BMP or GIF image."),
        ImageRejection.Corrupt => new(400, ErrorCodes.CorruptImage, "Corrupt image", "The image could not be decoded (corrupt or truncated)."),
        ImageRejection.DimensionsTooLarge => new(413, ErrorCodes.DimensionsTooLarge, "Image dimensions too large", e.Message),
        ImageRejection.TooSmall => new(422, ErrorCodes.ImageTooSmall, "Image too small", e.Message),
        ImageRejection.NoFace => new(422, ErrorCodes.NoFace, "No face found", "No face was detected in the image."),
        ImageRejection.FaceTooSmall => new(422, ErrorCodes.FaceTooSmall, "Face too small", e.Message),
        _ => new(400, ErrorCodes.BadRequest, "Unusable image", e.Message),
    };

    public static ApiProblem From(Predictions.ModelOutputInvalidException e) => new(500, ErrorCodes.ModelOutputInvalid,
        "Invalid model output", $"The model produced a non-finite value (NaN or infinity) in its {e.Output} for this image, "
        + "so no result can be given. Quote the requestId when reporting it.");

    public static ApiProblem From(ServiceUnavailableException e, int retryAfterSeconds) =>
        new(503, e.Code, "Service unavailable", e.Message, retryAfterSeconds);

    /// <summary>The problem result; sets Retry-After on the response when the failure is temporary.</summary>
    public IResult ToResult(HttpContext context)
    {
        context.Items[Observability.RequestLoggingMiddleware.ProblemCodeItem] = Code;
        if (RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(Detail, statusCode: Status, title: Title,
            extensions: new Dictionary<string, object?> { ["code"] = Code });
    }
}

/// <summary>Thrown where returning a result is awkward (deep in a helper); the exception handler renders it.</summary>
public sealed class ApiProblemException(ApiProblem problem) : Exception(problem.Detail)
{
    public ApiProblem Problem { get; } = problem;
}
