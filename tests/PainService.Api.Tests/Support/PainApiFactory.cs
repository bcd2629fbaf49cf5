using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PainService.Api.Batching;
using PainService.Api.Inference;
using PainService.Api.Predictions;
using PainService.Api.Security;

namespace PainService.Api.Tests.Support;

/// <summary>
/// The real app in memory with the model (and, unless <see cref="RealVision"/>, the vision pipeline) replaced by
/// deterministic fakes. One factory per test: hosts are never shared.
/// </summary>
public sealed class PainApiFactory : WebApplicationFactory<Program>
{
    public FakePredictor Predictor { get; init; } = new();

    public IPredictorLoader? Loader { get; init; }

    public string EnvironmentName { get; init; } = "Development";

    public bool RealVision { get; init; }

    public bool RealModel { get; init; }

    public IFacePreparer? FacePreparer { get; init; }

    public Dictionary<string, string?> Settings { get; } = new();

    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>The exit code the app asked for (it never sets the test runner's).</summary>
    public RecordedExit Exit { get; } = new();

    /// <summary>Everything the app logged, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        // Many hosts live at once in a test run; file watchers would exhaust the machine's inotify instances.
        builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(TestKeys).AddInMemoryCollection(Settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(services =>
        {
            if (!RealModel)
            {
                services.RemoveAll<IPredictorLoader>();
                services.AddSingleton(Loader ?? new FakeLoader(Predictor));
            }
            if (!RealVision)
            {
                services.RemoveAll<IFacePreparer>();
                services.AddSingleton(FacePreparer ?? new FakeFacePreparer());
            }
            services.RemoveAll<ProcessExit>();
            services.AddSingleton<ProcessExit>(Exit);
            ConfigureServices?.Invoke(services);
        });
    }

    public const string PredictKey = "test-predict-key";
    public const string AdminKey = "test-admin-key";

    /// <summary>Keys every test host knows (indices clear of the Development key at 0); clients send PredictKey.</summary>
    private static readonly Dictionary<string, string?> TestKeys = new()
    {
        ["Auth:ApiKeys:10:Name"] = "test-predict",
        ["Auth:ApiKeys:10:Sha256"] = ApiKeyStore.Hash(PredictKey),
        ["Auth:ApiKeys:10:Roles:0"] = "predict",
        ["Auth:ApiKeys:11:Name"] = "test-admin",
        ["Auth:ApiKeys:11:Sha256"] = ApiKeyStore.Hash(AdminKey),
        ["Auth:ApiKeys:11:Roles:0"] = "admin",
    };

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("X-Api-Key", PredictKey);
    }

    /// <summary>A client that sends no API key.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateDefaultClient();
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        return client;
    }

    public ModelHost Models => Services.GetRequiredService<ModelHost>();

    /// <summary>Starts the host and waits until the background model load has settled (ready, refused or failed).</summary>
    public async Task<HttpClient> StartAsync(TimeSpan? timeout = null)
    {
        var client = CreateClient();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (Models.Status == ModelStatus.Loading && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        return client;
    }
}
