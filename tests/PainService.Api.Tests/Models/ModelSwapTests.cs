using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using PainService.Api.Tests.Support;
using PainService.Model.Checkpoints;

namespace PainService.Api.Tests.Models;

/// <summary>
/// Issue 3, model lifecycle: the new model is loaded and warmed up beside the old one, then swapped atomically;
/// requests in flight finish on the old one; no request fails during a swap; a failed load keeps the old model.
/// Slow loads and forwards are gates the test opens, so the ordering is fixed whatever the machine's load. The fake
/// predictor throws once disposed, so a batch run on a released model would surface as a 503 here.
/// </summary>
public sealed class ModelSwapTests : IDisposable
{
    private const string Old = "untrained-reference";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly RegistryFolder _registry = new();
    private readonly ManualResetEventSlim _loadGate = new(false);

    public void Dispose()
    {
        _loadGate.Set(); // never leave a load thread blocked behind a failed assertion
        _registry.Dispose();
    }

    private PainApiFactory App(FakeLoader loader) => new() { Loader = loader, Settings = { ["ModelRegistry:Path"] = _registry.Path } };

    private static HttpClient Admin(PainApiFactory app)
    {
        var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", PainApiFactory.AdminKey);
        return client;
    }

    private static Task<HttpResponseMessage> PredictAsync(HttpClient client) =>
        client.PostAsync("/v1/pain/predict", new ByteArrayContent("VALUE:1"u8.ToArray()) { Headers = { ContentType = new("image/png") } });

    /// <summary>Asserts 200 and returns the model the prediction names.</summary>
    private static async Task<(string Version, string Sha256)> ServedByAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        var model = JsonDocument.Parse(text).RootElement.GetProperty("model");
        return (model.GetProperty("version").GetString()!, model.GetProperty("weightsSha256").GetString()!);
    }

    [Fact]
    public async Task WhileTheNewModelLoadsTheOldOneServesThenTheSwapServesTheNewOneAndReleasesTheOld()
    {
        var file = _registry.Add("v2");
        var initial = new FakePredictor();
        var loader = new FakeLoader(initial) { CheckpointGate = _loadGate };
        await using var app = App(loader);
        var client = await app.StartAsync();

        var activation = Admin(app).PostAsync("/v1/models/v2/activate", null);
        Assert.True(loader.CheckpointEntered.Wait(Wait));
        // The load is blocked on its own thread; the inference thread must keep answering on the old model.
        for (var i = 0; i < 3; i++)
            Assert.Equal((Old, initial.Descriptor.WeightsSha256), await ServedByAsync(await PredictAsync(client)));
        Assert.False(activation.IsCompleted);
        Assert.False(initial.Disposed);
        Assert.Equal("painservice-model-load", loader.CheckpointThread);

        _loadGate.Set();
        var activated = await activation;
        var after = await ServedByAsync(await PredictAsync(client));

        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        Assert.Equal(("v2", NativeCheckpoint.Sha256OfFile(file)), after);
        Assert.True(initial.Disposed);
        var fresh = loader.Loaded.Single();
        Assert.False(fresh.Disposed);
        Assert.Equal(2, fresh.ForwardCount); // the warm-up on the load thread, then the one prediction
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("painservice_model_events_total{event=\"load\"} 2", metrics); // start-up + activation
        Assert.Contains("painservice_model_events_total{event=\"swap\"} 1", metrics);
        Assert.Contains($"painservice_model_info{{name=\"GraphAU-Pain\",version=\"v2\",weights_sha256=\"{after.Sha256}\",trained=\"true\",device=\"cpu\"}} 1", metrics);
        Assert.DoesNotContain($"version=\"{Old}\"", metrics);
    }

    [Fact]
    public async Task TheBatchInFlightFinishesOnTheOldModelWhichIsDisposedOnlyAfterIt()
    {
        _registry.Add("v2");
        var initial = new FakePredictor();
        var loader = new FakeLoader(initial);
        await using var app = App(loader);
        var client = await app.StartAsync();
        using var forwardGate = new ManualResetEventSlim(false);
        initial.Entered.Reset(); // set by the start-up warm-up
        initial.Gate = forwardGate;

        var inFlight = PredictAsync(client);
        Assert.True(initial.Entered.Wait(Wait));
        var activation = Admin(app).PostAsync("/v1/models/v2/activate", null);
        Assert.True(loader.CheckpointLoaded.Wait(Wait));
        var fresh = loader.Loaded.Single();
        Assert.True(fresh.Entered.Wait(Wait)); // warmed up beside the old model, whose forward is still running
        Assert.False(initial.Disposed);
        Assert.False(activation.IsCompleted);

        forwardGate.Set();

        Assert.Equal(Old, (await ServedByAsync(await inFlight)).Version);
        Assert.Equal(HttpStatusCode.OK, (await activation).StatusCode);
        Assert.True(initial.Disposed);
        Assert.Equal("v2", (await ServedByAsync(await PredictAsync(client))).Version);
    }

    [Fact]
    public async Task ConcurrentRequestsAcrossTheSwapAllSucceedOnTheOldOrTheNewModel()
    {
        _registry.Add("v2");
        var loader = new FakeLoader(new FakePredictor()) { CheckpointGate = _loadGate };
        await using var app = App(loader);
        var client = await app.StartAsync();
        var answers = new ConcurrentQueue<(int Index, string Version)>();
        var count = 0;
        var enoughBeforeSwap = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var activated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each client sends requests back to back until it has had two answers after the activation returned.
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var afterActivation = 0;
            while (afterActivation < 2)
            {
                var done = activated.Task.IsCompleted;
                var version = (await ServedByAsync(await PredictAsync(client))).Version;
                var index = Interlocked.Increment(ref count);
                answers.Enqueue((index, version));
                if (index == 8)
                    enoughBeforeSwap.TrySetResult();
                if (done)
                {
                    Assert.Equal("v2", version); // sent after the swap
                    afterActivation++;
                }
            }
        })).ToArray();

        var running = Task.WhenAll(clients);
        try
        {
            var activation = Admin(app).PostAsync("/v1/models/v2/activate", null);
            Assert.True(loader.CheckpointEntered.Wait(Wait));
            if (await Task.WhenAny(enoughBeforeSwap.Task, running).WaitAsync(Wait) == running)
                await running; // a client failed before the swap: report its failure
            _loadGate.Set();
            Assert.Equal(HttpStatusCode.OK, (await activation).StatusCode);
        }
        finally
        {
            activated.TrySetResult(); // the clients stop even when an assertion above failed
        }
        await running.WaitAsync(Wait);

        var all = answers.OrderBy(a => a.Index).ToArray();
        Assert.All(all.Take(8), a => Assert.Equal(Old, a.Version)); // answered while the load was blocked
        Assert.All(all, a => Assert.Contains(a.Version, new[] { Old, "v2" }));
        Assert.True(all.Count(a => a.Version == "v2") >= 8);
    }

    [Fact]
    public async Task ASlowFailingLoadKeepsTheOldModelServingThroughout()
    {
        _registry.Add("v3", failOnLoad: true);
        var initial = new FakePredictor();
        var loader = new FakeLoader(initial) { CheckpointGate = _loadGate };
        await using var app = App(loader);
        var client = await app.StartAsync();

        var activation = Admin(app).PostAsync("/v1/models/v3/activate", null);
        Assert.True(loader.CheckpointEntered.Wait(Wait));
        Assert.Equal(Old, (await ServedByAsync(await PredictAsync(client))).Version);
        _loadGate.Set();

        var problem = await Problems.AssertProblemAsync(await activation, (HttpStatusCode)422, "model_load_failed");
        Assert.Equal("Loading version 'v3' failed; the previous model stays active: checkpoint weights are truncated",
            problem.GetProperty("detail").GetString());
        Assert.Equal(Old, (await ServedByAsync(await PredictAsync(client))).Version);
        Assert.False(initial.Disposed);
        Assert.True(app.Models.IsReady);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("painservice_model_events_total{event=\"load_failed\"} 1", metrics);
        Assert.DoesNotContain("painservice_model_events_total{event=\"swap\"}", metrics);
        Assert.Contains($"version=\"{Old}\"", metrics);
    }

    [Fact]
    public async Task AFailingWarmUpDisposesTheNewModelAndKeepsTheOld()
    {
        _registry.Add("v4", failOnWarmUp: true);
        var initial = new FakePredictor();
        var loader = new FakeLoader(initial);
        await using var app = App(loader);
        var client = await app.StartAsync();

        var response = await Admin(app).PostAsync("/v1/models/v4/activate", null);

        var problem = await Problems.AssertProblemAsync(response, (HttpStatusCode)422, "model_load_failed");
        Assert.EndsWith("the new model's forward pass failed", problem.GetProperty("detail").GetString());
        Assert.True(loader.Loaded.Single().Disposed);
        Assert.False(initial.Disposed);
        Assert.Equal(Old, (await ServedByAsync(await PredictAsync(client))).Version);
    }

    [Fact]
    public async Task ASecondActivationWhileOneIsLoadingGets409AndTheFirstCompletes()
    {
        _registry.Add("v2");
        _registry.Add("v3");
        var loader = new FakeLoader(new FakePredictor()) { CheckpointGate = _loadGate };
        await using var app = App(loader);
        var client = await app.StartAsync();
        var admin = Admin(app);

        var first = admin.PostAsync("/v1/models/v2/activate", null);
        Assert.True(loader.CheckpointEntered.Wait(Wait));
        var second = await admin.PostAsync("/v1/models/v3/activate", null);
        _loadGate.Set();

        var problem = await Problems.AssertProblemAsync(second, HttpStatusCode.Conflict, "activation_in_progress");
        Assert.Contains("Another model activation is in progress", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal("v2", (await ServedByAsync(await PredictAsync(client))).Version);
        Assert.Single(loader.Loaded);
        Assert.Contains(app.Logs.Lines, l => l.Contains("test-admin model.activate v3: Busy", StringComparison.Ordinal));
        // The lock is released: activating again works.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/models/v3/activate", null)).StatusCode);
    }

    [Fact]
    public async Task ActivationDuringTheStartUpLoadGets409()
    {
        _registry.Add("v2");
        using var startGate = new ManualResetEventSlim(false);
        var loader = new FakeLoader(new FakePredictor()) { Gate = startGate };
        await using var app = App(loader);
        app.CreateClient(); // starts the host; the start-up load blocks on its gate

        var response = await Admin(app).PostAsync("/v1/models/v2/activate", null);
        startGate.Set();

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "activation_in_progress");
        Assert.Contains("start-up model load", problem.GetProperty("detail").GetString());
        Assert.Empty(loader.Loaded);
    }
}
