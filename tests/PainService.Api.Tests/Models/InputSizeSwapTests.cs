using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using PainService.Api.Batching;
using PainService.Api.Inference;
using PainService.Api.Predictions;
using PainService.Api.Tests.Batching;
using PainService.Api.Tests.Support;
using PainService.Model.Checkpoints;
using PainService.Model.Inference;
using PainService.Vision;

namespace PainService.Api.Tests.Models;

/// <summary>
/// Issue 3: inputs are built at the input size of the model serving when preparation starts. A swap to a model of
/// another size between preparation and the batch must not fail the batch: the stale input is not run (its batch
/// mates are), and the request prepares its image again for the new model. The fakes refuse inputs of the wrong
/// length as the real predictor does, so without that handling the request below would get 503 inference_failed.
/// </summary>
public sealed class InputSizeSwapTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly RegistryFolder _registry = new();
    private readonly ManualResetEventSlim _prepareGate = new(false);

    public void Dispose()
    {
        _prepareGate.Set();
        _registry.Dispose();
    }

    [Fact]
    public async Task AnInputPreparedForTheOldSizeIsNotRunButFailedAloneWhileItsBatchMatesRun()
    {
        using var rig = new BatchTestRig(predictor: new FakePredictor(inputSize: 4) { StrictInputSize = true });
        var deadline = rig.Time.GetUtcNow() + TimeSpan.FromSeconds(30);
        var current = new PendingPrediction(Input(4, 1), rig.Time.GetTimestamp(), deadline, CancellationToken.None, inputSize: 4);
        var stale = new PendingPrediction(Input(6, 2), rig.Time.GetTimestamp(), deadline, CancellationToken.None, inputSize: 6);
        var other = new PendingPrediction(Input(4, 3), rig.Time.GetTimestamp(), deadline, CancellationToken.None, inputSize: 4);

        await rig.Service.RunBatchAsync([current, stale, other]);

        Assert.Equal([2], rig.Predictor.BatchSizes);
        Assert.Equal([1f, 3f], rig.Predictor.Values);
        Assert.Equal(1f, (await current.Result).Prediction.Logits[0]);
        Assert.Equal(3f, (await other.Result).Prediction.Logits[0]);
        Assert.Equal(2, (await other.Result).BatchSize);
        var changed = await Assert.ThrowsAsync<InputSizeChangedException>(() => stale.Result);
        Assert.Equal((6, 4), (changed.PreparedFor, changed.Active));
    }

    [Fact]
    public async Task ARequestPreparedBeforeASwapToAnotherInputSizeIsPreparedAgainAndServedByTheNewModel()
    {
        var file = _registry.Add("v6");
        var loader = new SizedLoader();
        var preparer = new RecordingPreparer(new FakeFacePreparer { Gate = _prepareGate });
        await using var app = new PainApiFactory
        {
            Loader = loader, FacePreparer = preparer, Settings = { ["ModelRegistry:Path"] = _registry.Path },
        };
        var client = await app.StartAsync();
        Assert.True(app.Models.IsReady, app.Models.Reason);

        // Preparation (for the 4-px start-up model) is held until the 6-px model serves.
        var request = client.PostAsync("/v1/pain/predict", new ByteArrayContent("BLOCK"u8.ToArray()) { Headers = { ContentType = new("image/png") } });
        Assert.True(preparer.Inner.Blocking.Wait(Wait));
        var admin = app.CreateAnonymousClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", PainApiFactory.AdminKey);
        var activation = await admin.PostAsync("/v1/models/v6/activate", null);
        Assert.Equal(HttpStatusCode.OK, activation.StatusCode);
        Assert.Equal(6, app.Models.Active!.InputSize);
        _prepareGate.Set();

        var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var model = JsonDocument.Parse(text).RootElement.GetProperty("model");
        Assert.Equal(("v6", NativeCheckpoint.Sha256OfFile(file)), (model.GetProperty("version").GetString(), model.GetProperty("weightsSha256").GetString()));
        Assert.Equal([4, 6], preparer.Sizes); // prepared for the old model, then again for the new one
        var fresh = Assert.Single(loader.Loaded);
        Assert.Equal([0f, 1f], fresh.Values); // its warm-up, then the request's 6-px input (first value 1) alone
        Assert.Equal([0f], loader.Initial.Values); // the start-up warm-up only: the stale input never ran
    }

    private static float[] Input(int size, float first)
    {
        var input = new float[3 * size * size];
        input[0] = first;
        return input;
    }

    /// <summary>A 4-px model at start-up; registry checkpoints load as 6-px models. Both refuse wrong-length inputs.</summary>
    private sealed class SizedLoader : IPredictorLoader
    {
        public FakePredictor Initial { get; } = new(inputSize: 4) { StrictInputSize = true };

        public ConcurrentBag<FakePredictor> Loaded { get; } = [];

        public IPainPredictor Load() => Initial;

        public IPainPredictor LoadCheckpoint(string path)
        {
            using var reader = NativeCheckpoint.Open(path);
            var loaded = new FakePredictor(true, inputSize: 6, version: reader.Manifest.Version, sha256: NativeCheckpoint.Sha256OfFile(path))
            {
                StrictInputSize = true,
            };
            Loaded.Add(loaded);
            return loaded;
        }
    }

    private sealed class RecordingPreparer(FakeFacePreparer inner) : IFacePreparer
    {
        private readonly ConcurrentQueue<int> _sizes = new();

        public FakeFacePreparer Inner { get; } = inner;

        public IReadOnlyList<int> Sizes => [.. _sizes];

        public Task<IReadOnlyList<PreparedFace>> PrepareAsync(ReadOnlyMemory<byte> image, int inputSize, FacePolicy policy,
            CancellationToken cancellation)
        {
            _sizes.Enqueue(inputSize);
            return Inner.PrepareAsync(image, inputSize, policy, cancellation);
        }
    }
}
