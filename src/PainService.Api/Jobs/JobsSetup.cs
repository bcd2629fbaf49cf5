// Program.cs composes features with two lines each; this keeps the jobs feature from needing a third (a using there).
global using PainService.Api.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PainService.Jobs;

namespace PainService.Api.Jobs;

public static class JobsSetup
{
    /// <summary>
    /// The job store from section <c>Jobs</c>, the one the worker reads: with the default SQLite file
    /// (<c>Data Source=jobs.db</c>, relative to the working folder) an API and a worker started in the same folder share a queue.
    /// </summary>
    public static IServiceCollection AddPainJobs(this IServiceCollection services)
    {
        services.AddOptions<JobStoreOptions>().BindConfiguration(JobStoreOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobQueue>();
        return services;
    }
}
