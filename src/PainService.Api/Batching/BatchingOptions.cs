using System.ComponentModel.DataAnnotations;

namespace PainService.Api.Batching;

/// <summary>Dynamic batching settings (section "Batching"): the three knobs Triton and TorchServe agree on, plus a deadline.</summary>
public sealed class BatchingOptions
{
    public const string SectionName = "Batching";

    /// <summary>Requests waiting for the model beyond this are refused with 503 + Retry-After (never an unbounded wait).</summary>
    [Range(1, 100_000)]
    public int MaxQueueLength { get; set; } = 64;

    /// <summary>Most images in one forward pass.</summary>
    [Range(1, 256)]
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>How long the first request of a batch may wait for company before the batch runs anyway.</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>A request still unanswered this long after it arrived gets 503; it is dropped before the forward pass.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Images decoded and searched for faces at once (each on its own dedicated thread); 0 = one per CPU core.</summary>
    [Range(0, 1024)]
    public int MaxConcurrentPreparations { get; set; }

    /// <summary><see cref="MaxConcurrentPreparations"/> with 0 resolved to the core count.</summary>
    public int ConcurrentPreparations => MaxConcurrentPreparations > 0 ? MaxConcurrentPreparations : Environment.ProcessorCount;

    /// <summary>Longest a single forward pass may take before its callers get 503 and the model is marked not ready.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most frames in one <c>POST /v1/pain/predict-batch</c> request (their bytes together stay under Vision:MaxUploadBytes).</summary>
    [Range(1, 256)]
    public int MaxFramesPerRequest { get; set; } = 16;

    /// <summary>On shutdown (SIGTERM) the service stops accepting work and answers everything queued within this time.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Seconds suggested in Retry-After when the service is over capacity or shutting down.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;
}
