namespace PainService.Api.Batching;

/// <summary>
/// The request could not be served now but may succeed later (queue full, deadline passed, shutting down,
/// model not ready, failed batch). Always answered as 503 with Retry-After and the given stable code.
/// </summary>
public sealed class ServiceUnavailableException(string code, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Code { get; } = code;
}
