using Microsoft.Extensions.Time.Testing;
using PainService.Jobs;

namespace PainService.Worker.Tests.Jobs;

/// <summary>The behaviour every job store must have; run against SQLite always and PostgreSQL when available.</summary>
internal static class JobStoreScenarios
{
    public static async Task SubmitGetListAndClaimOldestFirst(IJobStore store, FakeTimeProvider time)
    {
        var first = await store.SubmitAsync(new JobSubmission(JobKind.Sft, "/data/synth", 2, """{"epochs":3}"""));
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await store.SubmitAsync(new JobSubmission(JobKind.Train, "/data/synth"));

        Assert.Equal(JobStatus.Queued, first.Status);
        Assert.Equal((JobKind.Sft, 2, """{"epochs":3}"""), (first.Kind, first.Fold, first.Options));
        Assert.Equal([second.Id, first.Id], (await store.ListAsync()).Select(j => j.Id));

        var claimed = await store.ClaimAsync("w1", TimeSpan.FromMinutes(1));
        Assert.Equal(first.Id, claimed!.Id);
        Assert.Equal((JobStatus.Running, "w1", 1), (claimed.Status, claimed.WorkerId, claimed.Attempts));
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), claimed.HeartbeatAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(second.Id, (await store.ClaimAsync("w2", TimeSpan.FromMinutes(1)))!.Id);
        Assert.Null(await store.ClaimAsync("w3", TimeSpan.FromMinutes(1)));
        Assert.Equal([first.Id], (await store.ListAsync(status: JobStatus.Running)).Where(j => j.WorkerId == "w1").Select(j => j.Id));
    }

    public static async Task HeartbeatAndCompleteRecordProgressMetricsAndResult(IJobStore store, FakeTimeProvider time)
    {
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, "/d"));
        await store.ClaimAsync("w1", TimeSpan.FromMinutes(1));

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(new HeartbeatResult(true, false), await store.HeartbeatAsync(job.Id, "w1", 0.5, """{"epoch":1}""", "epoch 1/2"));
        Assert.Equal(new HeartbeatResult(false, false), await store.HeartbeatAsync(job.Id, "intruder", 0.9, null, null));
        var running = await store.GetAsync(job.Id);
        Assert.Equal((0.5, """{"epoch":1}""", "epoch 1/2"), (running!.Progress, running.Metrics, running.Message));

        Assert.False(await store.CompleteAsync(job.Id, "intruder", JobStatus.Succeeded, null, "no"));
        Assert.True(await store.CompleteAsync(job.Id, "w1", JobStatus.Succeeded, """{"macroF1":0.8}""", "done", "/jobs/x/model.ckpt"));
        var done = await store.GetAsync(job.Id);
        Assert.Equal((JobStatus.Succeeded, 1.0, """{"macroF1":0.8}""", "/jobs/x/model.ckpt"), (done!.Status, done.Progress, done.Metrics, done.ResultPath));
        Assert.NotNull(done.FinishedAt);
        Assert.False(await store.CompleteAsync(job.Id, "w1", JobStatus.Failed, null, "twice")); // final states are final
    }

    public static async Task StaleRunningJobIsReclaimedAndTheDeadWorkerLosesIt(IJobStore store, FakeTimeProvider time)
    {
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Sft, "/d"));
        await store.ClaimAsync("dead", TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(await store.ClaimAsync("w2", TimeSpan.FromSeconds(30))); // still fresh
        time.Advance(TimeSpan.FromSeconds(20));
        var reclaimed = await store.ClaimAsync("w2", TimeSpan.FromSeconds(30));

        Assert.Equal((job.Id, "w2", 2), (reclaimed!.Id, reclaimed.WorkerId, reclaimed.Attempts));
        Assert.False((await store.HeartbeatAsync(job.Id, "dead", 0.3, null, null)).Owned);
        Assert.False(await store.CompleteAsync(job.Id, "dead", JobStatus.Failed, null, "late"));
        Assert.Equal(JobStatus.Running, (await store.GetAsync(job.Id))!.Status);
    }

    public static async Task CancelStopsQueuedJobsAndFlagsRunningOnes(IJobStore store)
    {
        var queued = await store.SubmitAsync(new JobSubmission(JobKind.Evaluate, "/d"));
        var cancelled = await store.CancelAsync(queued.Id);
        Assert.Equal(JobStatus.Cancelled, cancelled!.Status);
        Assert.Null(await store.ClaimAsync("w", TimeSpan.FromMinutes(1)));

        var running = await store.SubmitAsync(new JobSubmission(JobKind.Train, "/d"));
        await store.ClaimAsync("w", TimeSpan.FromMinutes(1));
        Assert.True((await store.CancelAsync(running.Id))!.CancelRequested);
        Assert.Equal(new HeartbeatResult(true, true), await store.HeartbeatAsync(running.Id, "w", 0.1, null, null));
        Assert.Null(await store.CancelAsync("no-such-job"));
    }

    public static async Task FailedAttemptIsRequeuedWithItsErrorAndClaimedAgain(IJobStore store)
    {
        var job = await store.SubmitAsync(new JobSubmission(JobKind.Train, "/d"));
        await store.ClaimAsync("w1", TimeSpan.FromMinutes(1));

        Assert.False(await store.RequeueAsync(job.Id, "intruder", "not mine"));
        Assert.True(await store.RequeueAsync(job.Id, "w1", "ExternalException: boom in batch_norm"));
        var queued = await store.GetAsync(job.Id);
        Assert.Equal((JobStatus.Queued, null, 1, "ExternalException: boom in batch_norm"), (queued!.Status, queued.WorkerId, queued.Attempts, queued.LastError));
        Assert.Contains("boom in batch_norm", queued.Message);
        Assert.False(await store.RequeueAsync(job.Id, "w1", "twice")); // no longer running, so no longer w1's

        var retried = await store.ClaimAsync("w2", TimeSpan.FromMinutes(1));
        Assert.Equal((job.Id, "w2", 2, "ExternalException: boom in batch_norm"), (retried!.Id, retried.WorkerId, retried.Attempts, retried.LastError));
        Assert.True(await store.CompleteAsync(job.Id, "w2", JobStatus.Succeeded, null, "done"));
        Assert.Equal("ExternalException: boom in batch_norm", (await store.GetAsync(job.Id))!.LastError); // the history stays visible

        var other = await store.SubmitAsync(new JobSubmission(JobKind.Sft, "/d"));
        Assert.Null(other.LastError);
        await store.ClaimAsync("w1", TimeSpan.FromMinutes(1));
        Assert.True(await store.CompleteAsync(other.Id, "w1", JobStatus.Failed, null, "dataset is bad"));
        Assert.Equal("dataset is bad", (await store.GetAsync(other.Id))!.LastError);
    }

    /// <summary>A database created before last_error existed: opening it adds the column and keeps its rows.</summary>
    public static async Task DatabaseFromAnOlderBuildIsMigrated(Func<string, Task> execute, string oldCreateTable, Func<Task<IJobStore>> open)
    {
        await execute(oldCreateTable);
        await execute("INSERT INTO jobs (id, kind, dataset, fold, options, status, progress, created_ms, attempts, cancel_requested) " +
                      "VALUES ('old1', 'train', '/d', 1, '{}', 'queued', 0, 1000, 0, 0)");

        var store = await open();
        var old = await store.GetAsync("old1");
        Assert.Equal((JobKind.Train, JobStatus.Queued, null), (old!.Kind, old.Status, old.LastError));
        await store.ClaimAsync("w1", TimeSpan.FromMinutes(1));
        Assert.True(await store.RequeueAsync("old1", "w1", "IOException: disk hiccup"));
        Assert.Equal("IOException: disk hiccup", (await store.GetAsync("old1"))!.LastError);
        await open(); // initialising a current database again is a no-op
        Assert.Single(await store.ListAsync());
    }

    public static async Task RacingWorkersNeverClaimTheSameJob(Func<IJobStore> newStore)
    {
        var submitter = newStore();
        var ids = new HashSet<string>();
        for (var i = 0; i < 24; i++)
            ids.Add((await submitter.SubmitAsync(new JobSubmission(JobKind.Train, $"/d{i}"))).Id);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var store = newStore(); // one store (and connection pool) per worker, like separate processes
            var mine = new List<string>();
            while (await store.ClaimAsync($"w{w}", TimeSpan.FromHours(1)) is { } job)
                mine.Add(job.Id);
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(24, all.Count);
        Assert.Equal(ids, all.ToHashSet());
    }
}
