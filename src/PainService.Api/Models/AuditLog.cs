namespace PainService.Api.Models;

/// <summary>
/// Audit trail of administrative actions (who, when, what, outcome) on its own log category,
/// <c>PainService.Audit</c>, so operators can route it to a separate, retained sink.
/// </summary>
public sealed partial class AuditLog(ILoggerFactory loggers, TimeProvider time)
{
    private readonly ILogger _logger = loggers.CreateLogger("PainService.Audit");

    public void Record(string actor, string action, string target, string outcome) =>
        Log(_logger, time.GetUtcNow(), actor, action, target, outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "AUDIT {When:O} {Actor} {Action} {Target}: {Outcome}")]
    private static partial void Log(ILogger logger, DateTimeOffset when, string actor, string action, string target, string outcome);
}
