using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PainService.Api.Batching;
using PainService.Api.Inference;
using PainService.Api.Observability;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Batching;

/// <summary>The batcher's parts wired by hand around a fake clock and a fake predictor.</summary>
public sealed class BatchTestRig : IDisposable
{
    public BatchTestRig(BatchingOptions? options = null, FakePredictor? predictor = null)
    {
        Options = options ?? new BatchingOptions { MaxBatchSize = 4, MaxBatchDelay = TimeSpan.FromMilliseconds(50), MaxQueueLength = 8 };
        Predictor = predictor ?? new FakePredictor();
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        Queue = new InferenceQueue(wrapped);
        Models.SetReady(new ActiveModel(Predictor, Predictor.Descriptor), "test");
        Service = new BatchingService(Queue, new ForwardRunner(Thread, wrapped, Time), Models, new ServiceMetrics(Queue),
            wrapped, Time, Lifetime, Exit, NullLogger<BatchingService>.Instance);
        Collector = new BatchCollector(Queue, Options, Time);
    }

    public BatchingOptions Options { get; }
    public FakePredictor Predictor { get; }
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-12-03T12:00:00Z"));
    public InferenceQueue Queue { get; }
    public InferenceThread Thread { get; } = new();
    public ModelHost Models { get; } = new();
    public TestLifetime Lifetime { get; } = new();
    public RecordedExit Exit { get; } = new();
    public BatchingService Service { get; }
    public BatchCollector Collector { get; }

    public PendingPrediction Enqueue(float value, CancellationToken cancellation = default, TimeSpan? timeout = null)
    {
        var item = new PendingPrediction([value], Time.GetTimestamp(), Time.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(30)), cancellation);
        Assert.True(Queue.TryEnqueue(item, out _));
        return item;
    }

    public void Dispose() => Thread.Dispose();

    public sealed class TestLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public bool StopRequested { get; private set; }
        public void StopApplication() { StopRequested = true; _stopping.Cancel(); }
    }
}
