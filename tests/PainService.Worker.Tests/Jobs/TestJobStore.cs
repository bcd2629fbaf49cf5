using PainService.Jobs;

namespace PainService.Worker.Tests.Jobs;

/// <summary>A SQLite job store in a test's temporary folder, with polling and heartbeats fast enough for tests.</summary>
internal static class TestJobStore
{
    public static JobStoreOptions Options(TempDirectory dir, TimeSpan? staleAfter = null) => new()
    {
        ConnectionString = $"Data Source={dir.Combine("jobs.db")}",
        WorkDirectory = dir.Combine("work"),
        PollInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        StaleAfter = staleAfter ?? TimeSpan.FromSeconds(2),
    };

    public static async Task<IJobStore> CreateAsync(JobStoreOptions options)
    {
        var store = JobStoreOptions.CreateStore(options);
        await store.InitializeAsync();
        return store;
    }
}
