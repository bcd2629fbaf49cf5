namespace PainService.Worker.Tests.Jobs;

/// <summary>
/// A test against the real PostgreSQL that scripts/test.sh starts (it exports <see cref="Variable"/>). Skipped, with
/// that reason, only when the variable is absent — e.g. when the tests are run without the script.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "PAINSERVICE_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            Skip = $"{Variable} is not set: run scripts/test.sh, which starts a throwaway PostgreSQL and exports it.";
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
