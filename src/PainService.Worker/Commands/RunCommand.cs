using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PainService.Jobs;
using PainService.Worker.Jobs;
using PainService.Worker.Training;

namespace PainService.Worker.Commands;

/// <summary>
/// <c>run</c>: the job worker. Store settings come from the <c>Jobs</c> section of the appsettings.json shared with the API
/// (repository root, or the copy beside the binary), then <c>Jobs__*</c> environment variables, then these options.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var provider = new Option<string?>("--provider") { Description = "sqlite (default) or postgres." };
        var connection = new Option<string?>("--connection") { Description = "Connection string (SQLite: Data Source=FILE)." };
        var workDir = new Option<string?>("--work-dir") { Description = "Folder for job outputs (one sub-folder per job)." };
        var staleAfter = new Option<TimeSpan?>("--stale-after") { Description = "Re-claim running jobs whose heartbeat is older than this." };
        var heartbeat = new Option<TimeSpan?>("--heartbeat") { Description = "Heartbeat interval." };
        var exitWhenIdle = new Option<bool>("--exit-when-idle") { Description = "Stop when no job is left to claim (CI, batch use)." };
        var maxJobs = new Option<int?>("--max-jobs") { Description = "Stop after finishing this many jobs." };
        var device = DeviceOption.Create();
        device.Description = "Device of jobs whose options name none: " + device.Description;
        var command = new Command("run", "Run queued jobs (relabel, sft, train, evaluate) from the job store until stopped.");
        foreach (var option in new Option[] { provider, connection, workDir, staleAfter, heartbeat, exitWhenIdle, maxJobs, device })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var options = Load();
            options.Provider = parse.GetValue(provider) ?? options.Provider;
            options.ConnectionString = parse.GetValue(connection) ?? options.ConnectionString;
            options.WorkDirectory = parse.GetValue(workDir) ?? options.WorkDirectory;
            options.StaleAfter = parse.GetValue(staleAfter) ?? options.StaleAfter;
            options.HeartbeatInterval = parse.GetValue(heartbeat) ?? options.HeartbeatInterval;
            // A worker told to use CUDA on a machine without it stops here rather than failing every job it claims.
            var on = parse.GetValue(device)!;
            var resolved = TrainingDevice.Name(TrainingDevice.Resolve(on));
            var store = JobStoreOptions.CreateStore(options);
            await store.InitializeAsync(cancellationToken);
            var worker = new JobWorker(store, options, JobWorker.NewWorkerId(), Console.Out) { Device = on };
            Console.WriteLine($"worker {worker.WorkerId}: {options.Provider} store, outputs in {Path.GetFullPath(options.WorkDirectory)}, device {resolved} (--device {on}), up to {options.MaxAttempts} attempts per job");
            try
            {
                var done = await worker.RunAsync(parse.GetValue(exitWhenIdle), parse.GetValue(maxJobs), cancellationToken);
                Console.WriteLine($"worker {worker.WorkerId}: finished {done} job(s)");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.WriteLine($"worker {worker.WorkerId}: stopped");
            }
            return 0;
        }));
        return command;
    }

    private static JobStoreOptions Load()
    {
        // The same appsettings.json as the API (so both open the same job store), then Jobs__* variables.
        var options = new JobStoreOptions();
        WorkerConfiguration.Load().GetSection(JobStoreOptions.SectionName).Bind(options);
        return options;
    }
}
