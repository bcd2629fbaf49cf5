using Microsoft.Extensions.Options;
using PainService.Api.Inference;
using PainService.Model.Inference;
using Polly;
using Polly.Timeout;

namespace PainService.Api.Batching;

/// <summary>
/// Runs one forward pass on the inference thread under a Polly timeout. libtorch cannot be interrupted, so the
/// timeout only stops the <em>waiting</em>: callers get their 503 on time, and the caller of this class decides
/// what to do with the wedged thread (see <see cref="BatchingService"/>).
/// </summary>
public sealed class ForwardRunner
{
    private readonly InferenceThread _thread;
    private readonly ResiliencePipeline _timeout;

    public ForwardRunner(InferenceThread thread, IOptions<BatchingOptions> options, TimeProvider time)
    {
        _thread = thread;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(options.Value.ForwardTimeout)
            .Build();
    }

    /// <summary>
    /// The model that ran and its predictions, one per item; throws <see cref="TimeoutRejectedException"/> on a
    /// wedged forward. The model is read on the inference thread, where swaps and disposals also happen, so a model
    /// can never be disposed between being chosen and being run. An item prepared for another input size than that
    /// model's (a swap happened after its preparation) is not run: its prediction is null.
    /// </summary>
    public async Task<(ActiveModel Model, IReadOnlyList<PainPrediction?> Predictions)> RunAsync(
        Func<ActiveModel?> currentModel, IReadOnlyList<PendingPrediction> items)
    {
        var forward = _thread.RunAsync(() =>
        {
            var model = currentModel() ?? throw new ServiceUnavailableException(Errors.ErrorCodes.ModelNotReady, "No model is loaded.");
            var size = model.InputSize;
            var runnable = Enumerable.Range(0, items.Count).Where(i => items[i].InputSize is null || items[i].InputSize == size).ToArray();
            var predictions = new PainPrediction?[items.Count];
            if (runnable.Length == 0)
                return (model, (IReadOnlyList<PainPrediction?>)predictions);
            var results = model.Predictor.Predict(runnable.Select(i => items[i].Input).ToArray());
            if (results.Count != runnable.Length)
                throw new InvalidOperationException($"The predictor returned {results.Count} results for {runnable.Length} inputs.");
            for (var k = 0; k < runnable.Length; k++)
                predictions[runnable[k]] = results[k];
            return (model, (IReadOnlyList<PainPrediction?>)predictions);
        });
        // WaitAsync makes Polly's cooperative token effective against a call that never looks at it.
        return await _timeout.ExecuteAsync(static async (state, token) => await state.WaitAsync(token).ConfigureAwait(false),
            forward).ConfigureAwait(false);
    }
}
