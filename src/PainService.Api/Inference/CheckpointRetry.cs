using Polly;
using Polly.Retry;

namespace PainService.Api.Inference;

/// <summary>
/// A checkpoint on a model store mount may be briefly absent (remount, sync): an I/O error while loading one — at
/// start-up or on an activation — is tried again, 3 times, 1, 2 and 4 s apart. Anything else (a corrupt file, another
/// architecture) fails at once.
/// </summary>
public static class CheckpointRetry
{
    public static ResiliencePipeline Create(TimeProvider time) => new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>(),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
        })
        .Build();
}
