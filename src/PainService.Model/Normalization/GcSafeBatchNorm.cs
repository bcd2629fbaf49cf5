using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PainService.Model.Normalization;

/// <summary>
/// TorchSharp's BatchNorm1d/BatchNorm2d with a training-mode batch count that a garbage collection cannot break.
/// TorchSharp's own forward counts with <c>num_batches_tracked.add_(1)</c>, which makes two temporary
/// <see cref="Scalar"/>s that nothing keeps alive during the native call; a collection at that moment lets their
/// finalizer free them while libtorch reads them, and the step fails with "Expected false to be true … toLong at
/// c10/core/Scalar.h". Rare (once in a few CI runs), but it kills a training run; with DOTNET_GCgen0size=0x20000 it
/// happens within a few epochs. Here the count adds <see cref="HeldScalars.One"/>, held for the life of the process.
/// Parameters, buffers (names, order, initial values) and the arithmetic are TorchSharp's, so state-dict keys and
/// checkpoints are unchanged.
/// </summary>
public sealed class GcSafeBatchNorm : BatchNorm
{
    private readonly int[] _inputRanks;

    private GcSafeBatchNorm(long features, int[] inputRanks, string name)
        : base(features, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true, device: null, dtype: null, name) =>
        _inputRanks = inputRanks;

    /// <summary>Like <c>nn.BatchNorm1d(features)</c>: input (N, C) or (N, C, L).</summary>
    public static GcSafeBatchNorm OneD(long features) => new(features, [2, 3], "BatchNorm1d");

    /// <summary>Like <c>nn.BatchNorm2d(features)</c>: input (N, C, H, W).</summary>
    public static GcSafeBatchNorm TwoD(long features) => new(features, [4], "BatchNorm2d");

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (!_inputRanks.Contains((int)input.ndim))
            throw new ArgumentException($"expected {string.Join(" or ", _inputRanks.Select(r => $"{r}D"))} input, but got {input.ndim}D input.");
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        var averagingFactor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is { } count)
        {
            count.add_(HeldScalars.One, HeldScalars.One);
            if (momentum is null)
                averagingFactor = 1.0 / count.item<long>(); // momentum set to null: a cumulative average, as in PyTorch
        }
        var useBatchStatistics = training || (running_mean is null && running_var is null);
        var passRunning = !training || track_running_stats;
        return nn.functional.batch_norm(input, passRunning ? running_mean : null, passRunning ? running_var : null, weight, bias,
            useBatchStatistics, averagingFactor, eps);
    }
}
