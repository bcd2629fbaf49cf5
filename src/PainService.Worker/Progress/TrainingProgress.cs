using System.Diagnostics;
using System.Globalization;

namespace PainService.Worker.Progress;

/// <summary>
/// Progress of a long loop: on a terminal a live one-line bar (redrawn in place) with loss, throughput and ETA;
/// when stdout is redirected (CI logs, the job worker) a plain line every <see cref="PlainInterval"/> instead,
/// so logs stay readable. An optional callback receives every update (the job worker's heartbeat).
/// </summary>
public sealed class TrainingProgress
{
    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeProvider _time;
    private DateTimeOffset _lastPlain;
    private string _phase = "";
    private long _total;
    private long _done;
    private long _images;
    private double _lossSum;
    private long _lossCount;

    public TrainingProgress(TextWriter output, bool live, TimeProvider? time = null)
    {
        _out = output;
        _live = live;
        _time = time ?? TimeProvider.System;
        _lastPlain = _time.GetUtcNow();
    }

    /// <summary>Live on an interactive console, plain lines otherwise.</summary>
    public static TrainingProgress ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    public TimeSpan PlainInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Called after each step with (phase, fraction of phase done, running mean loss).</summary>
    public Action<string, double, double>? OnUpdate { get; init; }

    public void Start(string phase, long totalSteps)
    {
        (_phase, _total, _done, _images, _lossSum, _lossCount) = (phase, Math.Max(1, totalSteps), 0, 0, 0, 0);
        _clock.Restart();
    }

    public void Step(int images, double? loss = null)
    {
        _done++;
        _images += images;
        if (loss is { } l && double.IsFinite(l))
        {
            _lossSum += l;
            _lossCount++;
        }
        OnUpdate?.Invoke(_phase, (double)_done / _total, MeanLoss);
        if (_live)
            _out.Write("\r" + Line(bar: true));
        else if (_time.GetUtcNow() - _lastPlain >= PlainInterval)
        {
            _lastPlain = _time.GetUtcNow();
            _out.WriteLine(Line(bar: false));
        }
    }

    /// <summary>Ends the phase with one final line (always printed) and returns its mean loss.</summary>
    public double Finish(string? summary = null)
    {
        if (_live)
            _out.Write("\r" + new string(' ', 100) + "\r");
        _out.WriteLine(Line(bar: false) + (summary is null ? "" : " | " + summary));
        return MeanLoss;
    }

    public double MeanLoss => _lossCount == 0 ? double.NaN : _lossSum / _lossCount;

    public double ImagesPerSecond => _images / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);

    public TimeSpan Elapsed => _clock.Elapsed;

    private string Line(bool bar)
    {
        var fraction = (double)_done / _total;
        var eta = _done == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds * (_total - _done) / _done);
        var drawn = bar ? "[" + new string('#', (int)(fraction * 24)).PadRight(24, '.') + "] " : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{_phase} {drawn}{_done}/{_total} ({100 * fraction:0}%){(_lossCount == 0 ? "" : $" loss {MeanLoss:0.0000}")} {ImagesPerSecond:0.0} img/s ETA {eta:hh\\:mm\\:ss}");
    }
}
