using System.Data.Common;
using Microsoft.Extensions.Options;
using PainService.Api.Errors;
using PainService.Jobs;

namespace PainService.Api.Jobs;

/// <summary>
/// The API's handle on the job store shared with the worker (section <c>Jobs</c>). The store is created and its
/// table made on first use rather than at start-up, so an unreachable PostgreSQL never keeps predictions from
/// starting; until it answers, job requests get 503 <c>job_store_unavailable</c> and the next request tries again.
/// </summary>
public sealed partial class JobQueue(IOptions<JobStoreOptions> options, TimeProvider time, ILogger<JobQueue> logger)
{
    private readonly SemaphoreSlim _initializing = new(1, 1);
    private volatile IJobStore? _store;

    public async Task<T> RunAsync<T>(Func<IJobStore, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action(await StoreAsync(cancellationToken));
        }
        catch (Exception e) when (e is DbException or TimeoutException || e is ArgumentException && _store is null)
        {
            // The exception text can hold connection details: it goes to the log, never to the client.
            LogStoreFailed(logger, e, options.Value.Provider);
            throw new ApiProblemException(new ApiProblem(503, JobErrorCodes.JobStoreUnavailable, "Job store unavailable",
                "The job store could not be reached; try again later.", RetryAfterSeconds: 5));
        }
    }

    private async Task<IJobStore> StoreAsync(CancellationToken cancellationToken)
    {
        if (_store is { } ready)
            return ready;
        await _initializing.WaitAsync(cancellationToken);
        try
        {
            if (_store is null)
            {
                var store = JobStoreOptions.CreateStore(options.Value, time);
                await store.InitializeAsync(cancellationToken);
                _store = store;
            }
            return _store;
        }
        finally
        {
            _initializing.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Provider} job store failed")]
    private static partial void LogStoreFailed(ILogger logger, Exception error, string provider);
}
