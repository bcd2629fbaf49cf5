using Microsoft.Extensions.Time.Testing;
using PainService.Jobs;

namespace PainService.Worker.Tests.Jobs;

public sealed class SqliteJobStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // release the file before the folder is deleted
        _dir.Dispose();
    }

    private string ConnectionString => $"Data Source={_dir.Combine("state", "jobs.db")}";

    private async Task<IJobStore> StoreAsync()
    {
        var store = new SqliteJobStore(ConnectionString, _time);
        await store.InitializeAsync();
        return store;
    }

    [Fact]
    public async Task SubmitGetListAndClaimOldestFirst() => await JobStoreScenarios.SubmitGetListAndClaimOldestFirst(await StoreAsync(), _time);

    [Fact]
    public async Task HeartbeatAndCompleteRecordProgressMetricsAndResult() => await JobStoreScenarios.HeartbeatAndCompleteRecordProgressMetricsAndResult(await StoreAsync(), _time);

    [Fact]
    public async Task StaleRunningJobIsReclaimedAndTheDeadWorkerLosesIt() => await JobStoreScenarios.StaleRunningJobIsReclaimedAndTheDeadWorkerLosesIt(await StoreAsync(), _time);

    [Fact]
    public async Task CancelStopsQueuedJobsAndFlagsRunningOnes() => await JobStoreScenarios.CancelStopsQueuedJobsAndFlagsRunningOnes(await StoreAsync());

    [Fact]
    public async Task RacingWorkersNeverClaimTheSameJob()
    {
        await StoreAsync();
        await JobStoreScenarios.RacingWorkersNeverClaimTheSameJob(() => new SqliteJobStore(ConnectionString, TimeProvider.System));
    }

    [Fact]
    public async Task FailedAttemptIsRequeuedWithItsErrorAndClaimedAgain() => await JobStoreScenarios.FailedAttemptIsRequeuedWithItsErrorAndClaimedAgain(await StoreAsync());

    [Fact]
    public async Task DatabaseFromAnOlderBuildIsMigrated()
    {
        Directory.CreateDirectory(_dir.Combine("state"));
        await JobStoreScenarios.DatabaseFromAnOlderBuildIsMigrated(async sql =>
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }, """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, dataset TEXT NOT NULL, fold INTEGER NOT NULL, options TEXT NOT NULL,
                status TEXT NOT NULL, progress REAL NOT NULL, metrics TEXT, message TEXT,
                created_ms INTEGER NOT NULL, started_ms INTEGER, finished_ms INTEGER, worker_id TEXT, heartbeat_ms INTEGER,
                attempts INTEGER NOT NULL, cancel_requested INTEGER NOT NULL, result_path TEXT)
            """, StoreAsync);
    }

    [Fact]
    public async Task JobsSurviveReopeningTheFile()
    {
        var job = await (await StoreAsync()).SubmitAsync(new JobSubmission(JobKind.Relabel, "/d", 3));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var reopened = await (await StoreAsync()).GetAsync(job.Id);
        Assert.Equal((JobKind.Relabel, 3, JobStatus.Queued), (reopened!.Kind, reopened.Fold, reopened.Status));
    }

    [Fact]
    public void UnknownProviderIsAClearError() =>
        Assert.Contains("sqlite or postgres", Assert.Throws<ArgumentException>(() => JobStoreOptions.CreateStore(new JobStoreOptions { Provider = "mysql" })).Message);
}
