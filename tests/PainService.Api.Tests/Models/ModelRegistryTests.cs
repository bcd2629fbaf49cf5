using Microsoft.Extensions.Logging;
using System.Net;
using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Model.Checkpoints;

namespace PainService.Api.Tests.Models;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly RegistryFolder _registry = new();

    public void Dispose() => _registry.Dispose();

    private PainApiFactory App(FakeLoader loader, string environment = "Development") => new()
    {
        Loader = loader,
        EnvironmentName = environment,
        Settings = { ["ModelRegistry:Path"] = _registry.Path },
    };

    private static ByteArrayContent Frame() => new("VALUE:1"u8.ToArray()) { Headers = { ContentType = new("image/png") } };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static HttpClient Admin(PainApiFactory app)
    {
        var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", PainApiFactory.AdminKey);
        return client;
    }

    [Fact]
    public async Task ListingShowsTheActiveModelAndEveryReadableVersionNewestFirst()
    {
        _registry.Add("v1", created: DateTimeOffset.Parse("2026-11-01T00:00:00Z"));
        var v2 = _registry.Add("v2", created: DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        _registry.AddJunk("broken.ckpt");
        await using var app = App(new FakeLoader(new FakePredictor()));
        var client = await app.StartAsync();

        var list = await JsonAsync(await client.GetAsync("/v1/models"));
        var one = await client.GetAsync("/v1/models/v2");
        var missing = await client.GetAsync("/v1/models/v9");

        Assert.Equal("untrained-reference", list.GetProperty("active").GetProperty("version").GetString());
        Assert.Equal(["v2", "v1"], list.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("version").GetString()));
        var body = await JsonAsync(one);
        Assert.Equal(NativeCheckpoint.Sha256OfFile(v2), body.GetProperty("weightsSha256").GetString());
        Assert.True(body.GetProperty("trained").GetBoolean());
        Assert.False(body.GetProperty("active").GetBoolean());
        Assert.Equal(0.61, body.GetProperty("metadata").GetProperty("metrics").GetProperty("macroF1").GetDouble());
        var config = body.GetProperty("config"); // the manifest's architecture
        Assert.Equal((172, 3, 8, 3, 64), (config.GetProperty("inputSize").GetInt32(), config.GetProperty("classCount").GetInt32(),
            config.GetProperty("auCount").GetInt32(), config.GetProperty("neighborCount").GetInt32(), config.GetProperty("stemWidth").GetInt32()));
        await Problems.AssertProblemAsync(missing, HttpStatusCode.NotFound, "model_not_found");
        Assert.Contains(app.Logs.Lines, l => l.Contains("broken.ckpt is not a usable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActivationSwapsTheModelAndPredictionsNameTheNewVersionAndHash()
    {
        var file = _registry.Add("v2");
        var initial = new FakePredictor();
        var loader = new FakeLoader(initial);
        await using var app = App(loader);
        var client = await app.StartAsync();

        var activated = await Admin(app).PostAsync("/v1/models/v2/activate", null);
        var prediction = await JsonAsync(await client.PostAsync("/v1/pain/predict", Frame()));

        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        Assert.True((await JsonAsync(activated)).GetProperty("active").GetBoolean());
        var model = prediction.GetProperty("model");
        Assert.Equal("v2", model.GetProperty("version").GetString());
        Assert.Equal(NativeCheckpoint.Sha256OfFile(file), model.GetProperty("weightsSha256").GetString());
        Assert.True(model.GetProperty("trained").GetBoolean());
        Assert.True(initial.Disposed); // the old model is released after the swap
        Assert.Equal(1, loader.Loaded.Single().ForwardCount - 1); // warm-up + the one prediction
        Assert.Contains("version=\"v2\"", await client.GetStringAsync("/metrics"));
        Assert.Contains(app.Logs.Lines, l => l.Contains("AUDIT", StringComparison.Ordinal) && l.Contains("test-admin model.activate v2: Activated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PredictKeyCannotActivate()
    {
        _registry.Add("v2");
        await using var app = App(new FakeLoader(new FakePredictor()));
        var client = await app.StartAsync();

        var response = await client.PostAsync("/v1/models/v2/activate", null);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("untrained-reference", app.Models.Active!.Descriptor.Version);
    }

    [Fact]
    public async Task ACheckpointBrieflyMissingAtActivationIsRetriedThenActivated()
    {
        _registry.Add("v2");
        var loader = new FakeLoader(new FakePredictor()) { CheckpointMissingFirst = 1 };
        await using var app = App(loader);
        await app.StartAsync();

        var activated = await Admin(app).PostAsync("/v1/models/v2/activate", null);

        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        Assert.Equal(2, loader.CheckpointAttempts); // one miss, one retry a second later
        Assert.Equal("v2", app.Models.Active!.Descriptor.Version);
    }

    [Fact]
    public async Task FailedLoadKeepsTheOldModelServing()
    {
        _registry.Add("v3", failOnLoad: true);
        await using var app = App(new FakeLoader(new FakePredictor()));
        var client = await app.StartAsync();

        var response = await Admin(app).PostAsync("/v1/models/v3/activate", null);
        var prediction = await client.PostAsync("/v1/pain/predict", Frame());

        var problem = await Problems.AssertProblemAsync(response, (HttpStatusCode)422, "model_load_failed");
        Assert.Contains("previous model stays active", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, prediction.StatusCode);
        Assert.Equal("untrained-reference", (await JsonAsync(prediction)).GetProperty("model").GetProperty("version").GetString());
        Assert.True(app.Models.IsReady);
        Assert.Contains(app.Logs.Lines, l => l.Contains("model.activate v3: LoadFailed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProductionRefusesToActivateAnUntrainedVersion()
    {
        _registry.Add("raw", trained: false);
        await using var app = App(new FakeLoader(new FakePredictor(trained: true)), "Production");
        await app.StartAsync();

        var response = await Admin(app).PostAsync("/v1/models/raw/activate", null);

        await Problems.AssertProblemAsync(response, (HttpStatusCode)422, "model_refused");
        Assert.Equal("v-test", app.Models.Active!.Descriptor.Version);
    }

    [Fact]
    public void CheckpointsDeletedWhileTheFolderIsListedAreLeftOut()
    {
        var v1 = _registry.Add("v1", created: DateTimeOffset.Parse("2026-11-01T00:00:00Z"));
        var v3 = _registry.Add("v3", created: DateTimeOffset.Parse("2026-12-02T00:00:00Z"));
        var logs = new CapturedLogs();
        var registry = new PainService.Api.Models.ModelRegistry(
            Microsoft.Extensions.Options.Options.Create(new PainService.Api.Models.ModelRegistryOptions { Path = _registry.Path }),
            new LoggerFactory([logs]).CreateLogger<PainService.Api.Models.ModelRegistry>());
        Assert.Equal(["v3", "v1"], registry.List().Select(e => e.Version)); // v1 and v3 now cached
        var v2 = _registry.Add("v2", created: DateTimeOffset.Parse("2026-12-01T00:00:00Z"));

        // Enumerated, then deleted before being read: one never read (v2), one cached by an earlier listing (v3).
        var enumerated = Directory.EnumerateFiles(_registry.Path, "*.ckpt").ToList();
        File.Delete(v2);
        File.Delete(v3);
        var listed = registry.List(enumerated);

        Assert.Equal("v1", Assert.Single(listed).Version);
        Assert.Equal(v1, listed[0].FilePath);
        Assert.Null(registry.Find("v3")); // the cached entry went with its file
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains("v2.ckpt vanished", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains("v3.ckpt vanished", StringComparison.Ordinal));

        // The whole folder removed: an empty listing, not an exception (GET /v1/models stays a 200).
        Directory.Delete(_registry.Path, recursive: true);
        Assert.Empty(registry.List());
        Directory.CreateDirectory(_registry.Path); // for Dispose
    }
}
