using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PainService.Jobs;

namespace PainService.Worker.Tests.Jobs;

/// <summary>The same scenarios against a real PostgreSQL; each test gets its own schema, dropped afterwards.</summary>
public sealed class PostgresJobStoreTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly string _schema = "test_" + Guid.NewGuid().ToString("N");

    private string ConnectionString => new NpgsqlConnectionStringBuilder(PostgresFactAttribute.ConnectionString) { SearchPath = _schema }.ConnectionString;

    public async Task InitializeAsync()
    {
        if (PostgresFactAttribute.ConnectionString is null)
            return;
        await Admin($"CREATE SCHEMA {_schema}");
    }

    public async Task DisposeAsync()
    {
        if (PostgresFactAttribute.ConnectionString is null)
            return;
        NpgsqlConnection.ClearAllPools();
        await Admin($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
    }

    private static async Task Admin(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresFactAttribute.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<IJobStore> StoreAsync()
    {
        var store = JobStoreOptions.CreateStore(new JobStoreOptions { Provider = "postgres", ConnectionString = ConnectionString }, _time);
        await store.InitializeAsync();
        return store;
    }

    [PostgresFact]
    public async Task SubmitGetListAndClaimOldestFirst() => await JobStoreScenarios.SubmitGetListAndClaimOldestFirst(await StoreAsync(), _time);

    [PostgresFact]
    public async Task HeartbeatAndCompleteRecordProgressMetricsAndResult() => await JobStoreScenarios.HeartbeatAndCompleteRecordProgressMetricsAndResult(await StoreAsync(), _time);

    [PostgresFact]
    public async Task StaleRunningJobIsReclaimedAndTheDeadWorkerLosesIt() => await JobStoreScenarios.StaleRunningJobIsReclaimedAndTheDeadWorkerLosesIt(await StoreAsync(), _time);

    [PostgresFact]
    public async Task CancelStopsQueuedJobsAndFlagsRunningOnes() => await JobStoreScenarios.CancelStopsQueuedJobsAndFlagsRunningOnes(await StoreAsync());

    [PostgresFact]
    public async Task FailedAttemptIsRequeuedWithItsErrorAndClaimedAgain() => await JobStoreScenarios.FailedAttemptIsRequeuedWithItsErrorAndClaimedAgain(await StoreAsync());

    [PostgresFact]
    public async Task DatabaseFromAnOlderBuildIsMigrated() => await JobStoreScenarios.DatabaseFromAnOlderBuildIsMigrated(async sql =>
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }, """
        CREATE TABLE jobs (
            id text PRIMARY KEY, kind text NOT NULL, dataset text NOT NULL, fold integer NOT NULL, options text NOT NULL,
            status text NOT NULL, progress double precision NOT NULL, metrics text, message text,
            created_ms bigint NOT NULL, started_ms bigint, finished_ms bigint, worker_id text, heartbeat_ms bigint,
            attempts integer NOT NULL, cancel_requested integer NOT NULL, result_path text)
        """, StoreAsync);

    [PostgresFact]
    public async Task RacingWorkersNeverClaimTheSameJob()
    {
        await StoreAsync();
        await JobStoreScenarios.RacingWorkersNeverClaimTheSameJob(() => new PostgresJobStore(ConnectionString, TimeProvider.System));
    }
}
