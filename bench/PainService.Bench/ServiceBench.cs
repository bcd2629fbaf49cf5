using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PainService.Bench;

internal sealed record ServiceRow(int Clients, int Ok, int Errors, string ErrorsByStatus, double Seconds,
    double RequestsPerSecond, Stats Latency);

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

    public async Task<ServiceRow> LoadAsync(byte[] png, int clients, TimeSpan duration, int maxRequests, Action<string> log)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        var issued = 0;
        var clock = Stopwatch.StartNew();
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
                    if (response.StatusCode == HttpStatusCode.OK)
                        latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    else
                        errors.AddOrUpdate(((int)response.StatusCode).ToString(), 1, (_, n) => n + 1);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    errors.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client)));
        var seconds = clock.Elapsed.TotalSeconds;
        var stats = Stats.Of(latencies.ToArray());
        var errorCount = errors.Values.Sum();
        var byStatus = errors.IsEmpty ? "-" : string.Join(", ", errors.OrderBy(e => e.Key).Select(e => $"{e.Key}×{e.Value}"));
        var row = new ServiceRow(clients, stats.Count, errorCount, byStatus, seconds, stats.Count / seconds, stats);
        log($"service clients={clients,2}: {row.RequestsPerSecond,6:F2} req/s  p50 {stats.P50,7:F0} p95 {stats.P95,7:F0} p99 {stats.P99,7:F0} ms  ok={stats.Count} errors={errorCount} ({byStatus})");
        return row;
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
