using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using PainService.Api.Security;

namespace PainService.Api.Tests.Support;

/// <summary>
/// The built API as its own process (Kestrel on a free loopback port, the embedded untrained model, Production),
/// for what only a real process shows: its own resident memory and its answer to SIGTERM. It runs in a scratch
/// working directory (the jobs database lands there) that is deleted on dispose.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly string _workDirectory;

    private ServiceProcess(Process process, Uri baseAddress, string workDirectory)
    {
        Process = process;
        BaseAddress = baseAddress;
        _workDirectory = workDirectory;
    }

    public Process Process { get; }

    public Uri BaseAddress { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the API with extra settings (configuration keys, e.g. "Batching:DrainTimeout") and waits until ready.</summary>
    /// <param name="withoutFile">
    /// A file of the build output (e.g. a native library) the process must run without: the API then runs from a
    /// scratch directory of symbolic links to every other file, and the call returns once it listens, ready or not.
    /// </param>
    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null, TimeSpan? readyTimeout = null,
        string? withoutFile = null)
    {
        var port = FreePort();
        var work = Directory.CreateTempSubdirectory("painservice-process-").FullName;
        var appDirectory = AppContext.BaseDirectory;
        if (withoutFile is not null)
        {
            appDirectory = Directory.CreateDirectory(Path.Combine(work, "app")).FullName;
            foreach (var entry in new DirectoryInfo(AppContext.BaseDirectory).EnumerateFileSystemInfos())
            {
                var link = Path.Combine(appDirectory, entry.Name);
                if (entry.Name == withoutFile)
                    continue;
                if (entry is DirectoryInfo)
                    Directory.CreateSymbolicLink(link, entry.FullName);
                else if (entry.Name.StartsWith("PainService.Api.", StringComparison.Ordinal))
                    File.Copy(entry.FullName, link); // the host resolves the app's real path: its own files must be here
                else
                    File.CreateSymbolicLink(link, entry.FullName);
            }
        }
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(appDirectory, "PainService.Api.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // As the shipped image and scripts/run.sh run it (Dockerfile): passive OpenMP threads, workstation GC, one
        // malloc arena from the first thread on (mallopt at start-up cannot merge arenas created before it).
        info.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["MALLOC_ARENA_MAX"] = "1";
        info.Environment["Model__AllowUntrained"] = "true";
        info.Environment["Model__Device"] = "cpu";
        info.Environment["Auth__ApiKeys__0__Name"] = "process-test";
        info.Environment["Auth__ApiKeys__0__Sha256"] = ApiKeyStore.Hash(PainApiFactory.PredictKey);
        info.Environment["Auth__ApiKeys__0__Roles__0"] = "predict";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var service = new ServiceProcess(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"), work);
        service.Process.OutputDataReceived += (_, e) => service.Append(e.Data);
        service.Process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        service.Process.BeginOutputReadLine();
        service.Process.BeginErrorReadLine();
        try
        {
            await service.WaitUntilReadyAsync(readyTimeout ?? TimeSpan.FromMinutes(3), listeningIsEnough: withoutFile is not null);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, bool listeningIsEnough)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Process.HasExited)
                throw new InvalidOperationException($"The API exited ({Process.ExitCode}) before it was ready:\n{Output}");
            try
            {
                using var ready = await http.GetAsync(listeningIsEnough ? "/health/live" : "/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The API was not ready within {timeout}:\n{Output}");
    }

    /// <summary>A client that sends the predict key; no client-side timeout shorter than the service's own.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", PainApiFactory.PredictKey);
        return client;
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in bytes (VmRSS = resident now, VmHWM = peak resident).</summary>
    public long StatusBytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Process.Id}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"/proc/{Process.Id}/status has no {field}");
    }

    /// <summary>Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux ≥ 4.0); false when not permitted.</summary>
    public bool ResetPeakResident()
    {
        try
        {
            File.WriteAllText($"/proc/{Process.Id}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Makes the service collect its garbage through the runtime's diagnostics port (an EventPipe session asking for
    /// a GC heap collection, as dotnet-gcdump does) until its RSS stops falling — a memory baseline without the
    /// warm-up's garbage. One collection is not enough: the GC returns free regions to the OS gradually, at each
    /// collection in proportion to the time since the previous one, so collections are spaced a second apart.
    /// </summary>
    public async Task CollectGarbageAsync(int minRounds = 4, int maxRounds = 15)
    {
        var quietRounds = 0;
        for (var round = 0; round < maxRounds && (round < minRounds || quietRounds < 2); round++)
        {
            var before = StatusBytes("VmRSS");
            await InduceGcAsync();
            await Task.Delay(700);
            quietRounds = before - StatusBytes("VmRSS") < 2 << 20 ? quietRounds + 1 : 0;
        }
    }

    private async Task InduceGcAsync()
    {
        const long gc = 0x1, gcHeapCollect = 0x800000; // runtime keywords: GC events; induce a blocking collection
        var client = new DiagnosticsClient(Process.Id);
        using var session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, gc | gcHeapCollect), requestRundown: false);
        var drain = session.EventStream.CopyToAsync(Stream.Null);
        await Task.Delay(300); // the collection runs when the session starts; its events follow within milliseconds
        await session.StopAsync(CancellationToken.None);
        await drain;
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does to stop the service.</summary>
    public void Terminate()
    {
        if (Kill(Process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({Process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

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
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by a dying child: leave the scratch folder to the OS's tmp cleaning
        }
    }
}
