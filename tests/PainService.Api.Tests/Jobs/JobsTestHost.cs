using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using PainService.Api.Inference;
using PainService.Api.Tests.Support;
using PainService.Jobs;

namespace PainService.Api.Tests.Jobs;

/// <summary>
/// A temporary folder per test holding the job database (SQLite), the jobs' work folder (also the model registry,
/// so trained checkpoints appear in <c>/v1/models</c>) and any dataset; the API is the real app with fake vision.
/// </summary>
public sealed class JobsTestHost : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("painservice-jobs-").FullName;

    public JobStoreOptions StoreOptions => new()
    {
        ConnectionString = $"Data Source={Path.Combine(Root, "jobs.db")}",
        WorkDirectory = Path.Combine(Root, "work"),
        PollInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        StaleAfter = TimeSpan.FromMinutes(1),
    };

    public PainApiFactory App(IPredictorLoader? loader = null, bool realVision = false)
    {
        var app = new PainApiFactory { Loader = loader, RealVision = realVision };
        app.Settings["Jobs:Provider"] = "sqlite";
        app.Settings["Jobs:ConnectionString"] = StoreOptions.ConnectionString;
        app.Settings["ModelRegistry:Path"] = StoreOptions.WorkDirectory;
        return app;
    }

    /// <summary>The same database as the API, opened separately, as a worker on the machine would.</summary>
    public async Task<IJobStore> WorkerStoreAsync()
    {
        var store = JobStoreOptions.CreateStore(StoreOptions);
        await store.InitializeAsync();
        return store;
    }

    public static HttpClient Admin(PainApiFactory app)
    {
        var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", PainApiFactory.AdminKey);
        return client;
    }

    public static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string kind = "train", string dataset = "/data/unbc", int fold = 1, JsonObject? options = null) =>
        client.PostAsJsonAsync("/v1/jobs", new JsonObject { ["kind"] = kind, ["dataset"] = dataset, ["fold"] = fold, ["options"] = options ?? new JsonObject() });

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools(); // pooled connections keep the file open
        Directory.Delete(Root, recursive: true);
    }
}
