using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PainService.Browser.Tests;

/// <summary>
/// The real API as its own process (Kestrel on a free 127.0.0.1 port via --urls, embedded untrained model,
/// Production environment with the untrained model explicitly allowed), as an operator would start it.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    public const string ApiKey = "browser-test-key-7f3a";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<ApiProcess> StartAsync(TimeSpan readyTimeout)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PainService.Api.dll");
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Model__AllowUntrained"] = "true";
        psi.Environment["Model__Device"] = "cpu";
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        // Auth stores only key hashes (name, SHA-256 of the UTF-8 key, roles); the client sends the key itself.
        psi.Environment["Auth__ApiKeys__0__Name"] = "browser-test";
        psi.Environment["Auth__ApiKeys__0__Sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)));
        psi.Environment["Auth__ApiKeys__0__Roles__0"] = "predict";
        var api = new ApiProcess(Process.Start(psi)!, new Uri($"http://127.0.0.1:{port}"));
        api._process.OutputDataReceived += (_, e) => api.Append(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < readyTimeout)
        {
            if (api._process.HasExited)
                throw new InvalidOperationException($"The API exited ({api._process.ExitCode}) before it was ready:\n{api.Output}");
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                    return api;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        await api.DisposeAsync();
        throw new TimeoutException($"The API was not ready within {readyTimeout}:\n{api.Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
