using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PainService.Api.Errors;

namespace PainService.Api.Security;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the hashed keys. No key: anonymous (the endpoint's policy then
/// answers 401); unknown key: 401; known key without the role: 403 — all as problem+json with a code.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || string.IsNullOrEmpty(values.ToString()))
            return Task.FromResult(AuthenticateResult.NoResult());
        var entry = keys.Find(values.ToString());
        if (entry is null)
            return Task.FromResult(AuthenticateResult.Fail("unknown API key")); // the key itself is never logged
        var claims = new List<Claim> { new(ClaimTypes.Name, entry.Name) };
        claims.AddRange(entry.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        return WriteAsync(401, ErrorCodes.Unauthorized, "Unauthorized", $"Send a valid API key in the {HeaderName} header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteAsync(403, ErrorCodes.Forbidden, "Forbidden", "This API key does not have the role this endpoint requires.");

    private async Task WriteAsync(int status, string code, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        });
    }
}
