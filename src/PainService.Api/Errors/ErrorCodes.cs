namespace PainService.Api.Errors;

/// <summary>
/// The stable values of the problem+json "code" member. Clients branch on these, so they never change meaning;
/// new failure kinds get new codes.
/// </summary>
public static class ErrorCodes
{
    // 400
    public const string EmptyBody = "empty_body";
    public const string MissingImage = "missing_image";
    public const string CorruptImage = "corrupt_image";
    public const string BadRequest = "bad_request";
    public const string TooManyFrames = "too_many_frames";
    public const string DuplicateFrameId = "duplicate_frame_id";
    // 401 / 403 / 404 / 405
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    // 413 / 415
    public const string PayloadTooLarge = "payload_too_large";
    public const string DimensionsTooLarge = "dimensions_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string UnsupportedFormat = "unsupported_format";
    // 409
    public const string ActivationInProgress = "activation_in_progress";
    // 422
    public const string ImageTooSmall = "image_too_small";
    public const string NoFace = "no_face";
    public const string FaceTooSmall = "face_too_small";
    public const string ModelNotFound = "model_not_found";
    public const string ModelRefused = "model_refused";
    public const string ModelLoadFailed = "model_load_failed";
    // 429
    public const string RateLimited = "rate_limited";
    // 503
    public const string QueueFull = "queue_full";
    public const string RequestTimeout = "request_timeout";
    public const string ShuttingDown = "shutting_down";
    public const string ModelNotReady = "model_not_ready";
    public const string InferenceFailed = "inference_failed";
    // 500
    public const string InternalError = "internal_error";
    public const string ModelOutputInvalid = "model_output_invalid";

    /// <summary>The code for a bare status code (404 from routing, 405, ...), used when no handler chose one.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => ModelNotReady,
        _ => status >= 500 ? InternalError : BadRequest,
    };
}
