using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PainService.Bench;

/// <summary>One load level. Unanswered = the client saw no HTTP answer (reset, timeout); Violations = 5xx other than a 503 with Retry-After.</summary>
internal sealed record ServiceRow(int Clients, int Ok, int Overloaded, int Violations, int Unanswered, int Other, string Details,
    double Seconds, double RequestsPerSecond, Stats Latency, Stats LiveProbe, Stats MetricsProbe);

/// <summary>
/// End-to-end load on loopback: starts the real API (its built dll, embedded untrained model) on a free
/// 127.0.0.1 port, then N concurrent clients POST astronaut.png for a bounded time and request count.
/// </summary>
internal sealed class ServiceBench : IAsyncDisposable
{
    public const string ApiKey = "bench-local-key";
    private readonly Process _api;
    private readonly HttpClient _http;

    private ServiceBench(Process api, HttpClient http) => (_api, _http) = (api, http);

    public static async Task<ServiceBench> StartAsync(string apiDll, int threads, Action<string> log)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet", [apiDll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Model__AllowUntrained"] = "true";
        psi.Environment["Model__Device"] = "cpu";
        psi.Environment["Model__IntraOpThreads"] = threads.ToString();
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        // Auth stores only key hashes (name, SHA-256 of the UTF-8 key, roles); the client sends the key itself.
        psi.Environment["Auth__ApiKeys__0__Name"] = "bench";
        psi.Environment["Auth__ApiKeys__0__Sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)));
        psi.Environment["Auth__ApiKeys__0__Roles__0"] = "predict";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var api = Process.Start(psi)!;
        api.OutputDataReceived += (_, _) => { };
        api.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) log("api stderr: " + line); };
        api.BeginOutputReadLine();
        api.BeginErrorReadLine();

        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var bench = new ServiceBench(api, http);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(180))
        {
            if (api.HasExited)
                throw new InvalidOperationException($"The API exited with code {api.ExitCode} before it was ready.");
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    log($"api ready on port {port} after {deadline.Elapsed.TotalSeconds:F1} s");
                    return bench;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        await bench.DisposeAsync();
        throw new TimeoutException("The API did not report ready within 180 s.");
    }

    /// <summary>
    /// <paramref name="clients"/> concurrent clients POST the image until the time or request budget ends; a client
    /// told 503 waits the Retry-After it was given, as a well-behaved hospital integration does. Meanwhile a probe
    /// reads /health/live and /metrics every 250 ms, as a kubelet and Prometheus would.
    /// </summary>
    public async Task<ServiceRow> LoadAsync(byte[] png, int clients, TimeSpan duration, int maxRequests, Action<string> log)
    {
        var latencies = new ConcurrentBag<double>();
        var others = new ConcurrentDictionary<string, int>();
        int overloaded = 0, violations = 0, unanswered = 0, other = 0, issued = 0;
        var clock = Stopwatch.StartNew();
        using var loadDone = new CancellationTokenSource();
        async Task Client()
        {
            while (clock.Elapsed < duration && Interlocked.Increment(ref issued) <= maxRequests)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new MultipartFormDataContent { { new ByteArrayContent(png) { Headers = { ContentType = new("image/png") } }, "image", "astronaut.png" } };
                    using var response = await _http.PostAsync("/v1/pain/predict", content);
                    await response.Content.ReadAsByteArrayAsync();
                    var status = (int)response.StatusCode;
                    var retryAfter = response.Headers.RetryAfter?.Delta;
                    if (status == 200)
                        latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    else if (status == 503 && retryAfter is { } wait)
                    {
                        Interlocked.Increment(ref overloaded);
                        await Task.Delay(wait);
                    }
                    else if (status >= 500)
                    {
                        Interlocked.Increment(ref violations);
                        others.AddOrUpdate(status + (status == 503 ? " without Retry-After" : ""), 1, (_, n) => n + 1);
                    }
                    else
                    {
                        Interlocked.Increment(ref other);
                        others.AddOrUpdate(status.ToString(), 1, (_, n) => n + 1);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref unanswered);
                    others.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                }
            }
        }
        var live = new ConcurrentBag<double>();
        var metrics = new ConcurrentBag<double>();
        var probe = ProbeAsync(live, metrics, loadDone.Token);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client)));
        var seconds = clock.Elapsed.TotalSeconds;
        await loadDone.CancelAsync();
        await probe;

        var stats = Stats.Of(latencies.ToArray());
        var otherText = others.IsEmpty ? "-" : string.Join(", ", others.OrderBy(e => e.Key).Select(e => $"{e.Key}×{e.Value}"));
        var row = new ServiceRow(clients, stats.Count, overloaded, violations, unanswered, other, otherText, seconds, stats.Count / seconds,
            stats, Stats.Of(live.ToArray()), Stats.Of(metrics.ToArray()));
        log($"service clients={clients,3}: {row.RequestsPerSecond,6:F2} req/s  p50 {stats.P50,7:F0} p95 {stats.P95,7:F0} p99 {stats.P99,7:F0} ms  " +
            $"ok={stats.Count} 503+Retry-After={overloaded} 5xx-violations={violations} unanswered={unanswered} other={otherText}  " +
            $"live p99 {row.LiveProbe.P99:F0} ms, metrics p99 {row.MetricsProbe.P99:F0} ms");
        return row;
    }

    private async Task ProbeAsync(ConcurrentBag<double> live, ConcurrentBag<double> metrics, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            live.Add(await TimeGetAsync("/health/live"));
            metrics.Add(await TimeGetAsync("/metrics"));
            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Milliseconds until a 200 arrives; a failure counts as the client timeout, so it cannot hide in the percentiles.</summary>
    private async Task<double> TimeGetAsync(string path)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode ? Stopwatch.GetElapsedTime(start).TotalMilliseconds : _http.Timeout.TotalMilliseconds;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return _http.Timeout.TotalMilliseconds;
        }
    }

    public async Task WarmAsync(byte[] png) => await LoadAsync(png, 1, TimeSpan.FromSeconds(5), 3, _ => { });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_api.HasExited)
        {
            _api.Kill(entireProcessTree: true);
            await _api.WaitForExitAsync();
        }
        _api.Dispose();
    }
}
