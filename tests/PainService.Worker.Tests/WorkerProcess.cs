using System.Diagnostics;

namespace PainService.Worker.Tests;

/// <summary>Starts the built painservice-worker as a child process (to kill it with SIGKILL mid-run).</summary>
internal static class WorkerProcess
{
    public static Process Start(params string[] args)
    {
        var process = Process.Start(Info(args, new Dictionary<string, string>()))!;
        // Drain the pipes so the child never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs the worker to completion with extra environment variables; its exit code and both outputs.</summary>
    public static (int ExitCode, string Output, string Error) Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Info(args, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"painservice-worker {string.Join(' ', args)} did not exit within 2 minutes");
        }
        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    private static ProcessStartInfo Info(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "painservice-worker.dll"));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        return info;
    }

    /// <summary>Waits until <paramref name="file"/> exists (the child finished an epoch), then SIGKILLs the child.</summary>
    public static void KillAfter(Process process, string file, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the worker exited with {process.ExitCode} before writing {file}");
            if (clock.Elapsed > timeout)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} did not appear within {timeout}");
            }
            Thread.Sleep(100);
        }
        Thread.Sleep(300); // into the next epoch: the kill lands mid-epoch, not between epochs
        process.Kill(entireProcessTree: true); // SIGKILL: no cleanup, like kill -9
        process.WaitForExit();
    }
}
