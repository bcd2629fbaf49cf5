using System.Data;
using System.Data.Common;

namespace PainService.Jobs;

/// <summary>
/// The SQL shared by both back-ends. Times are stored as Unix milliseconds (comparable, zone-free) and taken from a
/// <see cref="TimeProvider"/> rather than the database clock, so staleness is testable and both back-ends agree.
/// Every state change is a single conditional UPDATE, so a worker that lost its job can never overwrite it.
/// </summary>
public abstract class SqlJobStore(TimeProvider time) : IJobStore
{
    protected const string Columns =
        "id, kind, dataset, fold, options, status, progress, metrics, message, created_ms, started_ms, finished_ms, worker_id, heartbeat_ms, attempts, cancel_requested, result_path, last_error";

    protected abstract DbConnection CreateConnection();

    protected abstract string CreateTableSql { get; }

    /// <summary>Adds the columns a database created by an older build lacks (last_error); a no-op on a current one.</summary>
    protected abstract Task AddMissingColumnsAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The claim's candidate sub-select; PostgreSQL adds FOR UPDATE SKIP LOCKED.</summary>
    protected abstract string ClaimCandidateSql { get; }

    protected long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public virtual async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, CreateTableSql, cancellationToken);
        await AddMissingColumnsAsync(connection, cancellationToken);
        await ExecuteAsync(connection, "CREATE INDEX IF NOT EXISTS jobs_status_created ON jobs (status, created_ms)", cancellationToken);
    }

    public async Task<JobRecord> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(submission.Dataset))
            throw new ArgumentException("a job needs a dataset");
        if (submission.Fold < 1)
            throw new ArgumentException($"fold must be ≥ 1 (got {submission.Fold})");
        var id = Guid.NewGuid().ToString("N");
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"INSERT INTO jobs ({Columns}) VALUES (@id, @kind, @dataset, @fold, @options, 'queued', 0, NULL, NULL, @now, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL)",
            ("id", id, DbType.String), ("kind", submission.Kind.Wire(), DbType.String), ("dataset", submission.Dataset, DbType.String),
            ("fold", submission.Fold, DbType.Int32), ("options", submission.Options, DbType.String), ("now", Now, DbType.Int64));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (await GetAsync(id, cancellationToken))!;
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM jobs WHERE id = @id", ("id", id, DbType.String));
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(int limit = 100, JobStatus? status = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {Columns} FROM jobs WHERE (@status IS NULL OR status = @status) ORDER BY created_ms DESC, id LIMIT @limit",
            ("status", status?.Wire(), DbType.String), ("limit", Math.Clamp(limit, 1, 1000), DbType.Int32));
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<JobRecord?> ClaimAsync(string workerId, TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        var now = Now;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"UPDATE jobs SET status = 'running', worker_id = @worker, heartbeat_ms = @now, started_ms = COALESCE(started_ms, @now), attempts = attempts + 1 " +
            $"WHERE id = ({ClaimCandidateSql}) RETURNING {Columns}",
            ("worker", workerId, DbType.String), ("now", now, DbType.Int64), ("stale", now - (long)staleAfter.TotalMilliseconds, DbType.Int64));
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<HeartbeatResult> HeartbeatAsync(string id, string workerId, double progress, string? metrics, string? message, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE jobs SET heartbeat_ms = @now, progress = @progress, metrics = COALESCE(@metrics, metrics), message = COALESCE(@message, message) " +
            "WHERE id = @id AND worker_id = @worker AND status = 'running' RETURNING cancel_requested",
            ("now", Now, DbType.Int64), ("progress", Math.Clamp(progress, 0, 1), DbType.Double), ("metrics", metrics, DbType.String),
            ("message", message, DbType.String), ("id", id, DbType.String), ("worker", workerId, DbType.String));
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is null or DBNull ? new HeartbeatResult(false, false) : new HeartbeatResult(true, Convert.ToInt64(result) != 0);
    }

    public async Task<bool> CompleteAsync(string id, string workerId, JobStatus status, string? metrics, string? message, string? resultPath = null, CancellationToken cancellationToken = default)
    {
        if (!status.IsTerminal())
            throw new ArgumentException($"{status} is not a final status");
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE jobs SET status = @status, finished_ms = @now, metrics = COALESCE(@metrics, metrics), message = @message, " +
            "last_error = CASE WHEN @status = 'failed' THEN @message ELSE last_error END, " +
            "result_path = COALESCE(@result, result_path), progress = CASE WHEN @succeeded = 1 THEN 1 ELSE progress END " +
            "WHERE id = @id AND worker_id = @worker AND status = 'running'",
            ("status", status.Wire(), DbType.String), ("now", Now, DbType.Int64), ("metrics", metrics, DbType.String), ("message", message, DbType.String),
            ("result", resultPath, DbType.String), ("succeeded", status == JobStatus.Succeeded ? 1 : 0, DbType.Int32),
            ("id", id, DbType.String), ("worker", workerId, DbType.String));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> RequeueAsync(string id, string workerId, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE jobs SET status = 'queued', worker_id = NULL, heartbeat_ms = NULL, last_error = @error, message = @message " +
            "WHERE id = @id AND worker_id = @worker AND status = 'running'",
            ("error", error, DbType.String), ("message", $"attempt failed, queued again to resume: {error}", DbType.String),
            ("id", id, DbType.String), ("worker", workerId, DbType.String));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<JobRecord?> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        await using (var connection = await OpenAsync(cancellationToken))
        {
            await using var queued = Command(connection,
                "UPDATE jobs SET status = 'cancelled', finished_ms = @now, message = 'cancelled before it started' WHERE id = @id AND status = 'queued'",
                ("now", Now, DbType.Int64), ("id", id, DbType.String));
            await queued.ExecuteNonQueryAsync(cancellationToken);
            await using var running = Command(connection, "UPDATE jobs SET cancel_requested = 1 WHERE id = @id AND status = 'running'", ("id", id, DbType.String));
            await running.ExecuteNonQueryAsync(cancellationToken);
        }
        return await GetAsync(id, cancellationToken);
    }

    protected async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    protected static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value, DbType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value, type) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static async Task<IReadOnlyList<JobRecord>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var records = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            records.Add(new JobRecord(
                reader.GetString(0),
                JobStates.ParseWire<JobKind>(reader.GetString(1)),
                reader.GetString(2),
                Convert.ToInt32(reader.GetValue(3)),
                reader.GetString(4),
                JobStates.ParseWire<JobStatus>(reader.GetString(5)),
                Convert.ToDouble(reader.GetValue(6)),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                Time(reader.GetValue(9))!.Value,
                Time(reader.GetValue(10)),
                Time(reader.GetValue(11)),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                Time(reader.GetValue(13)),
                Convert.ToInt32(reader.GetValue(14)),
                Convert.ToInt64(reader.GetValue(15)) != 0,
                reader.IsDBNull(16) ? null : reader.GetString(16))
            {
                LastError = reader.IsDBNull(17) ? null : reader.GetString(17),
            });
        return records;
    }

    private static DateTimeOffset? Time(object value) =>
        value is DBNull ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value));
}
