namespace PainService.Jobs;

/// <summary>What a job runs: the worker's pipeline stages (issue 4), each also a CLI command.</summary>
public enum JobKind
{
    Relabel,
    Sft,
    Train,
    Evaluate,
}

/// <summary>Life cycle: Queued → Running → Succeeded | Failed | Cancelled (a dead worker's Running job is re-claimed).</summary>
public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public static class JobStates
{
    public static bool IsTerminal(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>The lower-case wire name used in the database and the API (<c>train</c>, <c>running</c>).</summary>
    public static string Wire<T>(this T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static T ParseWire<T>(string text) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"'{text}' is not a valid {typeof(T).Name}: expected one of {string.Join(", ", Enum.GetValues<T>().Select(v => v.Wire()))}");
}
