using Microsoft.Extensions.Options;
using PainService.Api.Batching;
using PainService.Api.Inference;
using PainService.Model.Inference;

namespace PainService.Api.Models;

/// <summary>
/// Puts a loaded, warmed-up model in service. The swap is one work item on the inference thread, so it falls between
/// two batches: the batch in flight finishes on the old model, every later batch reads the new one, and the old
/// model is disposed right after the swap on that same thread, when no batch can still be using it.
/// </summary>
public sealed partial class ModelSwapper(InferenceThread inferenceThread, ModelHost models, IOptions<BatchingOptions> batching,
    ILogger<ModelSwapper> logger)
{
    /// <summary>
    /// The swap waits behind at most the batch in flight, which the forward timeout bounds. Past this the inference
    /// thread is wedged (the process is already stopping): the activation gives up and the new model is discarded.
    /// </summary>
    private TimeSpan Budget => batching.Value.ForwardTimeout * 2 + TimeSpan.FromSeconds(5);

    /// <summary>Returns null once the new model serves, or why it does not (the old model then stays active).</summary>
    public async Task<string?> SwapAsync(ActiveModel model)
    {
        var claim = new Claim();
        var swap = inferenceThread.RunAsync(() =>
        {
            if (!claim.TryTake(Claim.Swapped))
            {
                model.Predictor.Dispose(); // the activator gave up on this swap
                return false;
            }
            var old = models.Active;
            models.SetReady(model, model.Descriptor.Trained
                ? "model loaded and warmed up"
                : "untrained model loaded and warmed up: not for clinical use");
            if (old is not null && !ReferenceEquals(old.Predictor, model.Predictor))
                DisposeQuietly(old);
            return true;
        });
        try
        {
            await swap.WaitAsync(Budget).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException) when (claim.TryTake(Claim.Abandoned))
        {
            return $"the inference thread did not take the new model within {Budget.TotalSeconds:0} s (a forward pass is wedged)";
        }
        catch (TimeoutException)
        {
            await swap.ConfigureAwait(false); // claimed just as the budget ran out: the swap is running now
            return null;
        }
        catch (ObjectDisposedException) // the inference thread is gone: the host is shutting down
        {
            model.Predictor.Dispose();
            return "the service is shutting down";
        }
    }

    private void DisposeQuietly(ActiveModel old)
    {
        try
        {
            old.Predictor.Dispose();
        }
        catch (Exception e) // the swap already happened; a failing release must not undo or fail it
        {
            LogDisposeFailed(logger, e, old.Descriptor.Version);
        }
    }

    /// <summary>Decides once, between the inference thread and the timed-out activator, who owns the new model.</summary>
    private sealed class Claim
    {
        public const int Swapped = 1;
        public const int Abandoned = 2;
        private int _state;

        public bool TryTake(int state) => Interlocked.CompareExchange(ref _state, state, 0) == 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disposing the replaced model {Version} failed")]
    private static partial void LogDisposeFailed(ILogger logger, Exception error, string version);
}
