using System.Text.Json.Nodes;

namespace PainService.Worker.Jobs;

/// <summary>
/// What a running job reports, written by the job (training thread) and read by the heartbeat loop: overall
/// fraction done, a status line and the latest metrics. Updates are whole-object swaps, so readers never see a mix.
/// </summary>
public sealed class JobProgress
{
    private volatile Snapshot _current = new(0, null, null);

    public sealed record Snapshot(double Fraction, string? Message, string? MetricsJson);

    public Snapshot Current => _current;

    public void Report(double fraction, string? message = null, JsonObject? metrics = null)
    {
        var previous = _current;
        _current = new Snapshot(Math.Clamp(fraction, 0, 1), message ?? previous.Message, metrics?.ToJsonString() ?? previous.MetricsJson);
    }
}
