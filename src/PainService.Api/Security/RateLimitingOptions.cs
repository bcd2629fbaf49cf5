namespace PainService.Api.Security;

/// <summary>Per-client rate limiting of the prediction endpoints (section "RateLimiting"); off by default.</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; }

    /// <summary>Requests each client (API key name, or remote address without a key) may make per window.</summary>
    public int PermitLimit { get; set; } = 120;

    /// <summary>Length of the fixed window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
