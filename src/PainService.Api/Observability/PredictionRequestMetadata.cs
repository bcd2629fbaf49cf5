namespace PainService.Api.Observability;

/// <summary>
/// Endpoint metadata: this endpoint's requests are counted in <c>painservice_requests_total</c>, including those
/// refused before the handler runs (see <see cref="RefusedRequestMetricsMiddleware"/>).
/// </summary>
public sealed record PredictionRequestMetadata;
