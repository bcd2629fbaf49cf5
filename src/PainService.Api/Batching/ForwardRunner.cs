using Microsoft.Extensions.Options;
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

    /// <summary>The predictions, one per input; throws <see cref="TimeoutRejectedException"/> on a wedged forward.</summary>
    public async Task<IReadOnlyList<PainPrediction>> RunAsync(IPainPredictor predictor, IReadOnlyList<float[]> inputs)
    {
        var forward = _thread.RunAsync(() => predictor.Predict(inputs));
        // WaitAsync makes Polly's cooperative token effective against a call that never looks at it.
        return await _timeout.ExecuteAsync(static async (state, token) => await state.WaitAsync(token).ConfigureAwait(false),
            forward).ConfigureAwait(false);
    }
}
