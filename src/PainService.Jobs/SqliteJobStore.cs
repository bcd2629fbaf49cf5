using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PainService.Jobs;

/// <summary>
/// The default, embedded store: one SQLite file. A claim is one UPDATE … RETURNING statement, which SQLite runs
/// under its database write lock, so concurrent workers (threads or processes on one machine) never share a job.
/// </summary>
public sealed class SqliteJobStore(string connectionString, TimeProvider time) : SqlJobStore(time)
{
    protected override DbConnection CreateConnection() => new SqliteConnection(connectionString);

    protected override string CreateTableSql => """
        CREATE TABLE IF NOT EXISTS jobs (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, dataset TEXT NOT NULL, fold INTEGER NOT NULL, options TEXT NOT NULL,
            status TEXT NOT NULL, progress REAL NOT NULL, metrics TEXT, message TEXT,
            created_ms INTEGER NOT NULL, started_ms INTEGER, finished_ms INTEGER, worker_id TEXT, heartbeat_ms INTEGER,
            attempts INTEGER NOT NULL, cancel_requested INTEGER NOT NULL, result_path TEXT, last_error TEXT)
        """;

    protected override string ClaimCandidateSql =>
        "SELECT id FROM jobs WHERE status = 'queued' OR (status = 'running' AND heartbeat_ms < @stale) " +
        "ORDER BY CASE status WHEN 'queued' THEN 0 ELSE 1 END, created_ms, id LIMIT 1";

    protected override async Task AddMissingColumnsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var probe = Command(connection, "SELECT COUNT(*) FROM pragma_table_info('jobs') WHERE name = 'last_error'");
        if (Convert.ToInt64(await probe.ExecuteScalarAsync(cancellationToken)) > 0)
            return;
        try
        {
            await ExecuteAsync(connection, "ALTER TABLE jobs ADD COLUMN last_error TEXT", cancellationToken);
        }
        catch (SqliteException e) when (e.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase))
        {
            // Another process (the API or a second worker) added it between the probe and here.
        }
    }

    public override async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } directory)
            Directory.CreateDirectory(directory);
        await using (var connection = await OpenAsync(cancellationToken))
            // WAL lets the API read while a worker writes; it is a property of the file, so set once here.
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken);
        await base.InitializeAsync(cancellationToken);
    }
}
