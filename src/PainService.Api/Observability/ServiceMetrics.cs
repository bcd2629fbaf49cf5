using PainService.Api.Batching;
using PainService.Model.Inference;
using Prometheus;

namespace PainService.Api.Observability;

/// <summary>
/// The service's Prometheus metrics, modelled on Triton's queue-versus-compute split. Each app instance owns its
/// registry (so tests and several hosts in one process never mix counts); /metrics exports exactly this registry.
/// </summary>
public sealed class ServiceMetrics
{
    // 1 ms .. ~33 s: covers a cache-hot forward and a timed-out request alike.
    private static readonly double[] SecondsBuckets = Histogram.ExponentialBuckets(0.001, 2, 16);

    private readonly Gauge _modelInfo;
    private ModelDescriptor? _shownModel;

    public ServiceMetrics(InferenceQueue queue)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);

        Requests = factory.CreateCounter("painservice_requests_total",
            "Prediction requests by outcome (success, client_error, rejected, error) and stable error code; predict-batch "
            + "counts each frame, or the request once when refused as a whole. 401/403 are client_error, 429 and 503 rejected.",
            ["outcome", "code"]);
        QueueWait = Seconds(factory, "painservice_queue_wait_seconds", "Time from enqueue to the start of the request's forward pass.");
        Inference = Seconds(factory, "painservice_inference_seconds", "Duration of one batched forward pass.");
        EndToEnd = Seconds(factory, "painservice_request_duration_seconds", "Prediction request duration, body read to response: one per predict or predict-batch call answered by its handler.");
        Decode = Seconds(factory, "painservice_decode_seconds", "Image decode duration.");
        Detect = Seconds(factory, "painservice_face_detection_seconds", "Haar face detection duration.");
        BatchSize = factory.CreateHistogram("painservice_batch_size", "Images per forward pass.",
            new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64] });
        QueueDepth = factory.CreateGauge("painservice_queue_depth", "Requests waiting for a batch.");
        ModelEvents = factory.CreateCounter("painservice_model_events_total",
            "Model lifecycle events (load, load_failed, swap, swap_failed, refused, forward_timeout, output_invalid).", ["event"]);
        _modelInfo = factory.CreateGauge("painservice_model_info",
            "The active model (value 1): name, version, weights hash, trained flag, device.",
            ["name", "version", "weights_sha256", "trained", "device"]);
        Registry.AddBeforeCollectCallback(() => QueueDepth.Set(queue.Depth));
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }
    public Histogram QueueWait { get; }
    public Histogram Inference { get; }
    public Histogram EndToEnd { get; }
    public Histogram Decode { get; }
    public Histogram Detect { get; }
    public Histogram BatchSize { get; }
    public Gauge QueueDepth { get; }
    public Counter ModelEvents { get; }

    public void RecordOutcome(string outcome, string code) => Requests.WithLabels(outcome, code).Inc();

    /// <summary>The outcome label of a failed prediction: 503 rejected, other 5xx error, 4xx client_error.</summary>
    public static string OutcomeOf(int status) => status switch
    {
        503 => "rejected",
        >= 500 => "error",
        _ => "client_error",
    };

    /// <summary>Shows <paramref name="model"/> as the active model; the previous one's series is removed.</summary>
    public void SetActiveModel(ModelDescriptor model)
    {
        lock (_modelInfo)
        {
            if (_shownModel is { } old)
                _modelInfo.RemoveLabelled(Labels(old));
            _modelInfo.WithLabels(Labels(model)).Set(1);
            _shownModel = model;
        }
    }

    private static string[] Labels(ModelDescriptor m) =>
        [m.Name, m.Version, m.WeightsSha256, m.Trained ? "true" : "false", m.Device];

    private static Histogram Seconds(IMetricFactory factory, string name, string help) =>
        factory.CreateHistogram(name, help, new HistogramConfiguration { Buckets = SecondsBuckets });
}
