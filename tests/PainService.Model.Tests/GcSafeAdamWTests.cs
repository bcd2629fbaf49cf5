using TorchSharp;
using static TorchSharp.torch;
using GcSafeAdamW = PainService.Model.Training.GcSafe.AdamW;

namespace PainService.Model.Tests;

/// <summary>
/// <see cref="GcSafeAdamW"/> only changes how long its Scalars live: its parameters and state must stay bit-identical
/// to TorchSharp's AdamW step after step — with and without weight decay, AMSGrad and maximisation, with the learning
/// rate changed before every step as the trainer does — and its state must be TorchSharp's byte for byte, so a run
/// resumes from either.
/// </summary>
public sealed class GcSafeAdamWTests
{
    [Theory]
    [InlineData(5e-4, false, false)]
    [InlineData(0.0, false, false)]
    [InlineData(0.1, true, false)]
    [InlineData(5e-4, false, true)]
    public void StepsAreBitIdenticalToTorchSharpsAdamW(double weightDecay, bool amsgrad, bool maximize)
    {
        using var ours = Net();
        using var theirs = Net();
        using var safe = new GcSafeAdamW(ours.parameters(), lr: 3e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: weightDecay, amsgrad, maximize);
        using var reference = torch.optim.AdamW(theirs.parameters(), lr: 3e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: weightDecay,
            amsgrad: amsgrad, maximize: maximize);

        for (var step = 0; step < 5; step++)
        {
            StepOnce(ours, safe, step);
            StepOnce(theirs, reference, step);
            Assert.Equal(Bytes(theirs), Bytes(ours));
        }
        Assert.Equal(StateBytes(reference), StateBytes(safe));
    }

    [Fact]
    public void ARunResumedFromItsSavedStateContinuesExactlyAsIfUninterrupted()
    {
        using var straight = Net();
        using var straightOptimizer = new GcSafeAdamW(straight.parameters(), lr: 3e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 5e-4);
        using var first = Net();
        using var firstOptimizer = new GcSafeAdamW(first.parameters(), lr: 3e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 5e-4);
        for (var step = 0; step < 3; step++)
        {
            StepOnce(straight, straightOptimizer, step);
            StepOnce(first, firstOptimizer, step);
        }

        // A new process: fresh network and optimizer, weights and optimizer state restored from what the first saved.
        using var resumed = Net();
        using (no_grad())
            foreach (var ((_, to), (_, from)) in resumed.named_parameters().Zip(first.named_parameters()))
                to.copy_(from);
        using var resumedOptimizer = new GcSafeAdamW(resumed.parameters(), lr: 3e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 5e-4);
        using (var reader = new BinaryReader(new MemoryStream(StateBytes(firstOptimizer))))
            resumedOptimizer.load_state_dict(reader);

        for (var step = 3; step < 6; step++)
        {
            StepOnce(straight, straightOptimizer, step);
            StepOnce(resumed, resumedOptimizer, step);
        }
        Assert.Equal(Bytes(straight), Bytes(resumed)); // the step counts, hence the bias corrections, carried over
        Assert.Equal(StateBytes(straightOptimizer), StateBytes(resumedOptimizer));
    }

    private static nn.Module<Tensor, Tensor> Net()
    {
        var net = nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3));
        using var _ = no_grad();
        foreach (var (name, parameter) in net.named_parameters())
            parameter.copy_(arange(parameter.numel(), dtype: float32).reshape(parameter.shape).mul_(0.37).add_(name.Length).sin());
        return net;
    }

    /// <summary>One step at a learning rate that changes every step, as the per-iteration cosine schedule does.</summary>
    private static void StepOnce(nn.Module<Tensor, Tensor> net, TorchSharp.Modules.AdamW optimizer, int step)
    {
        using var scope = NewDisposeScope();
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = 3e-2 / (step + 1);
        optimizer.zero_grad();
        var input = arange(15, dtype: float32).reshape(3, 5).mul_(0.1 * (step + 1)).cos();
        net.call(input).pow(2).sum().backward();
        optimizer.step();
    }

    /// <summary>The raw bytes of every parameter, in order: bit-for-bit, −0 ≠ +0 and NaN = NaN.</summary>
    private static byte[] Bytes(nn.Module<Tensor, Tensor> net) =>
        [.. net.parameters().SelectMany(p => p.detach().cpu().bytes.ToArray())];

    private static byte[] StateBytes(TorchSharp.Modules.AdamW optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return stream.ToArray();
    }
}
