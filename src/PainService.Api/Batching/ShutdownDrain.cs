using Microsoft.Extensions.Options;

namespace PainService.Api.Batching;

/// <summary>
/// The answer-by deadline of a graceful shutdown. SIGTERM gives the host <see cref="BatchingOptions.DrainTimeout"/>
/// (its ShutdownTimeout); past it Kestrel aborts every connection still open, and a request held there would be
/// dropped without an answer. So shortly before, <see cref="Expired"/> fires and every request still waiting — for
/// a preparation slot, in preparation or in the queue — is answered 503 shutting_down instead. A forward pass
/// already running cannot be aborted (libtorch) and still answers its callers.
/// </summary>
public sealed class ShutdownDrain : IDisposable
{
    // Time kept after the deadline to write the 503s and let Kestrel close the connections: a quarter of the drain
    // time, at most 5 s (2 s drain → answer by 1.5 s; 30 s → by 25 s).
    private static readonly TimeSpan MaxReserve = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _expired = new();
    private readonly CancellationTokenRegistration _stopping;
    private readonly TimeProvider _time;
    private readonly TimeSpan _answerBy;
    private readonly TimeSpan _drain;
    private ITimer? _timer;
    private long? _began;

    public ShutdownDrain(IHostApplicationLifetime lifetime, IOptions<BatchingOptions> options, TimeProvider time)
    {
        _time = time;
        var drain = options.Value.DrainTimeout;
        _drain = drain;
        _answerBy = drain - TimeSpan.FromTicks(Math.Min(drain.Ticks / 4, MaxReserve.Ticks));
        _stopping = lifetime.ApplicationStopping.Register(Start);
    }

    /// <summary>Cancelled once the drain time is nearly used up; held requests then answer 503 shutting_down.</summary>
    public CancellationToken Expired => _expired.Token;

    /// <summary>How long after SIGTERM held requests are answered 503 at the latest.</summary>
    public TimeSpan AnswerBy => _answerBy;

    private void Start()
    {
        lock (_expired)
        {
            _began ??= _time.GetTimestamp();
            _timer ??= _time.CreateTimer(_ => Expire(), null, _answerBy, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// How long a disposal may still wait for its worker threads: once shutdown has begun, what is left of the drain
    /// time, but at least <paramref name="floor"/> (a decode or forward pass in flight usually ends within it) and at
    /// most <paramref name="cap"/>; <paramref name="cap"/> when no shutdown has begun. The process exits within the
    /// drain time plus the floors, not plus the caps (a wedged call is abandoned: the threads are background threads).
    /// </summary>
    public TimeSpan DisposalBudget(TimeSpan floor, TimeSpan cap)
    {
        long? began;
        lock (_expired)
            began = _began;
        if (began is not { } start)
            return cap;
        var left = _drain - _time.GetElapsedTime(start);
        return left < floor ? floor : left > cap ? cap : left;
    }

    private void Expire() => _expired.Cancel();

    /// <summary>
    /// Stops the timer. The token source itself is left undisposed (it owns no timer): requests still finishing
    /// while the host is disposed read <see cref="Expired"/>, which would throw on a disposed source.
    /// </summary>
    public void Dispose()
    {
        _stopping.Dispose();
        lock (_expired)
            _timer?.Dispose();
    }
}
