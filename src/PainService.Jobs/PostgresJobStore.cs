using System.Data.Common;
using Npgsql;

namespace PainService.Jobs;

/// <summary>
/// PostgreSQL store for several workers on several machines. The claim's candidate row is locked with
/// FOR UPDATE SKIP LOCKED, so racing workers each take a different job instead of queueing on one row.
/// </summary>
public sealed class PostgresJobStore(string connectionString, TimeProvider time) : SqlJobStore(time)
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    protected override DbConnection CreateConnection() => _dataSource.CreateConnection();

    protected override string CreateTableSql => """
        CREATE TABLE IF NOT EXISTS jobs (
            id text PRIMARY KEY, kind text NOT NULL, dataset text NOT NULL, fold integer NOT NULL, options text NOT NULL,
            status text NOT NULL, progress double precision NOT NULL, metrics text, message text,
            created_ms bigint NOT NULL, started_ms bigint, finished_ms bigint, worker_id text, heartbeat_ms bigint,
            attempts integer NOT NULL, cancel_requested integer NOT NULL, result_path text, last_error text)
        """;

    protected override Task AddMissingColumnsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, "ALTER TABLE jobs ADD COLUMN IF NOT EXISTS last_error text", cancellationToken);

    protected override string ClaimCandidateSql =>
        "SELECT id FROM jobs WHERE status = 'queued' OR (status = 'running' AND heartbeat_ms < @stale) " +
        "ORDER BY CASE status WHEN 'queued' THEN 0 ELSE 1 END, created_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED";
}
