namespace PainService.Api.Security;

/// <summary>
/// Conservative security headers on every response. Swagger UI needs inline scripts and styles of its own origin,
/// so its pages get a CSP allowing those; everything else is JSON and gets a deny-all CSP.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string ApiCsp = "default-src 'none'; frame-ancestors 'none'";
    private const string SwaggerCsp = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/swagger") ? SwaggerCsp : ApiCsp;
            if (!context.Request.Path.StartsWithSegments("/swagger"))
                headers.CacheControl = "no-store"; // predictions are patient data: never cached by proxies or browsers
            if (context.Request.IsHttps)
                headers.StrictTransportSecurity = "max-age=31536000";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
