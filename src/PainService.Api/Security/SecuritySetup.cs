using Microsoft.Extensions.Options;

namespace PainService.Api.Security;

/// <summary>API keys, the two role policies, and the security headers.</summary>
public static class SecuritySetup
{
    public const string PredictPolicy = "predict";
    public const string AdminPolicy = "admin";
    public const string MetricsPolicy = "metrics";

    public static IServiceCollection AddPainSecurity(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        services.AddSingleton<ApiKeyStore>();
        services.AddPainRateLimiting();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PredictPolicy, p => p.RequireAssertion(c => Allowed(c, ApiKeyStore.PredictRole, ApiKeyStore.AdminRole)))
            .AddPolicy(AdminPolicy, p => p.RequireAssertion(c => Allowed(c, ApiKeyStore.AdminRole)))
            .AddPolicy(MetricsPolicy, p => p.RequireAssertion(c =>
                !Options(c).RequireKeyForMetrics || Allowed(c, ApiKeyStore.PredictRole, ApiKeyStore.AdminRole)));
        return services;
    }

    public static WebApplication UsePainSecurity(this WebApplication app)
    {
        // Fail at start-up, not on the first request, when a configured key is malformed.
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        if (app.Environment.IsProduction() && keys.Count == 0 && app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
            app.Logger.LogWarning("No API keys are configured: every prediction request will be refused with 401");
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<Observability.RequestLoggingMiddleware>(); // after authentication: it names the client
        app.UseMiddleware<Observability.RefusedRequestMetricsMiddleware>(); // sees the 401/403/429 answered below
        app.UseAuthorization();
        app.UseRateLimiter(); // after authentication: the limit is per API key
        return app;
    }

    private static bool Allowed(Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext context, params string[] roles) =>
        !Options(context).Enabled || roles.Any(context.User.IsInRole);

    private static AuthOptions Options(Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext context) =>
        ((context.Resource as HttpContext)?.RequestServices ?? throw new InvalidOperationException("No HTTP context."))
            .GetRequiredService<IOptions<AuthOptions>>().Value;
}
