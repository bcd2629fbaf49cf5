namespace PainService.Api.Errors;

public static class ProblemDetailsSetup
{
    /// <summary>Every error body is problem+json with a <c>code</c> and the request id, whoever produced it.</summary>
    public static IServiceCollection AddPainProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            ctx.ProblemDetails.Extensions.TryAdd("code", ErrorCodes.ForStatus(status));
            ctx.HttpContext.Items[Observability.RequestLoggingMiddleware.ProblemCodeItem] = ctx.ProblemDetails.Extensions["code"];
            ctx.ProblemDetails.Extensions["requestId"] = ctx.HttpContext.TraceIdentifier;
            // Exception text is never shown, in any environment (a clinician's Swagger session included).
            ctx.ProblemDetails.Extensions.Remove("exception");
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        return services;
    }

    public static WebApplication UsePainProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
