namespace PainService.Jobs;

/// <summary>Configuration section <c>Jobs</c>, shared by the API and the worker.</summary>
public sealed class JobStoreOptions
{
    public const string SectionName = "Jobs";

    /// <summary><c>sqlite</c> (default: embedded, zero set-up) or <c>postgres</c> (several workers on several machines).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>For SQLite a file connection string (<c>Data Source=jobs.db</c>); for PostgreSQL an Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "Data Source=jobs.db";

    /// <summary>Where job outputs (checkpoints, reports) go: one sub-folder per job id.</summary>
    public string WorkDirectory { get; set; } = "jobs";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A running job whose heartbeat is older than this is treated as orphaned by a dead worker.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times a job is started before a failure is final. A run that throws (not a user error such as a bad
    /// dataset, which fails at once) goes back to the queue and resumes from its last checkpoint while attempts remain;
    /// a re-claim after a worker died counts as an attempt too.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    public static IJobStore CreateStore(JobStoreOptions options, TimeProvider? time = null) => options.Provider.ToLowerInvariant() switch
    {
        "sqlite" => new SqliteJobStore(options.ConnectionString, time ?? TimeProvider.System),
        "postgres" or "postgresql" or "npgsql" => new PostgresJobStore(options.ConnectionString, time ?? TimeProvider.System),
        _ => throw new ArgumentException($"Jobs:Provider '{options.Provider}' is not supported: use sqlite or postgres"),
    };
}
