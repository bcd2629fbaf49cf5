using PainService.Worker.Datasets;
using PainService.Worker.Progress;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Worker.Training;

/// <summary>
/// Runs a model over a split in eval mode with the test transform, on the device the model lives on, and copies one
/// output row per image to managed memory (through a CPU copy). One dispose scope per batch, so nothing leaks however
/// long the split.
/// </summary>
public static class SplitPredictor
{
    public static List<float[]> Run(nn.Module model, Func<Tensor, Tensor> output, UnbcSplit split, FrameCache cache, FrameTransform transform,
        int batchSize, TrainingProgress? progress = null, CancellationToken cancellationToken = default)
    {
        model.eval();
        var device = TrainingDevice.Of(model);
        var rows = new List<float[]>(split.Count);
        progress?.Start($"predict {split.Count} frames", (split.Count + batchSize - 1) / batchSize);
        using var _ = no_grad();
        for (var start = 0; start < split.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = Enumerable.Range(start, Math.Min(batchSize, split.Count - start)).ToArray();
            var inputs = new float[batch.Length][];
            Parallel.For(0, batch.Length, i => inputs[i] = transform.Test(cache[batch[i]]));
            using var scope = NewDisposeScope();
            var result = output(Batches.Stack(inputs, transform.InputSize, device));         // (B, K)
            var width = (int)result.shape[1];
            var flat = TrainingDevice.ToArray(result);
            for (var i = 0; i < batch.Length; i++)
                rows.Add(flat.AsSpan(i * width, width).ToArray());
            progress?.Step(batch.Length);
        }
        progress?.Finish();
        return rows;
    }
}
