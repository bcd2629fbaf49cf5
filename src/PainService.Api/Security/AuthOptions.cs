namespace PainService.Api.Security;

/// <summary>API-key authentication (section "Auth"). Keys are stored only as SHA-256 hashes.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>When false every endpoint is open (local experiments only; never in Production).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Known keys: a name for logs and audit, the lower-case hex SHA-256 of the key, and its roles.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>
    /// Optional file of further keys (e.g. a mounted secret), one per line as <c>name:role[,role]:sha256hex</c>;
    /// blank lines and lines starting with # are ignored.
    /// </summary>
    public string? ApiKeysFile { get; set; }

    /// <summary>Require a key (any role) for /metrics. Off by default: metrics hold no patient data.</summary>
    public bool RequireKeyForMetrics { get; set; }
}

public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";

    public string Sha256 { get; set; } = "";

    /// <summary><c>predict</c> and/or <c>admin</c>.</summary>
    public List<string> Roles { get; set; } = [];
}
