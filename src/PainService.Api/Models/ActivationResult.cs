using PainService.Model.Inference;

namespace PainService.Api.Models;

public enum ActivationOutcome
{
    Activated,
    AlreadyActive,
    NotFound,
    Refused,
    LoadFailed,
    /// <summary>Another activation (or the start-up load) is still running: 409, retry later.</summary>
    Busy,
    /// <summary>Loaded and warmed up, but the inference thread never took it (wedged or shutting down): 503.</summary>
    SwapFailed,
}

public sealed record ActivationResult(ActivationOutcome Outcome, string Message, ModelDescriptor? Model = null);
