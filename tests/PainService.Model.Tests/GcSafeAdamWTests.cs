using PainService.Model.Training;
using TorchSharp;
using static TorchSharp.torch;
using GcSafeAdamW = PainService.Model.Training.GcSafe.AdamW;

namespace PainService.Model.Tests;

/// <summary>
/// <see cref="GcSafeAdamW"/> only changes how long its Scalars live: its parameters and state must stay bit-identical
/// to TorchSharp's AdamW step after step, with and without weight decay, AMSGrad and maximisation, and its state dict
/// must load into TorchSharp's (checkpoints written before it existed resume with it, and the other way round).
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
        var safe = new GcSafeAdamW(ours.parameters(), lr: 3e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: weightDecay, amsgrad, maximize);
        var reference = torch.optim.AdamW(theirs.parameters(), lr: 3e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: weightDecay,
            amsgrad: amsgrad, maximize: maximize);

        for (var step = 0; step < 5; step++)
        {
            StepOnce(ours, safe, step);
            StepOnce(theirs, reference, step);
            foreach (var ((name, a), (_, b)) in ours.named_parameters().Zip(theirs.named_parameters()))
                Assert.True(a.eq(b).all().item<bool>(), $"{name} differs after step {step + 1}");
        }

        // Same bytes, so each loads the other's state (TorchSharp checks the class name on load).
        var ourState = StateBytes(safe);
        Assert.Equal(StateBytes(reference), ourState);
        using var resumed = Net();
        var loaded = torch.optim.AdamW(resumed.parameters(), lr: 3e-2, amsgrad: amsgrad, maximize: maximize);
        using (var reader = new BinaryReader(new MemoryStream(ourState)))
            loaded.load_state_dict(reader);
        Assert.Equal(ourState, StateBytes(loaded));
    }

    private static byte[] StateBytes(TorchSharp.Modules.AdamW optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return stream.ToArray();
    }

    private static nn.Module<Tensor, Tensor> Net()
    {
        var net = nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3));
        using var _ = no_grad();
        foreach (var (name, parameter) in net.named_parameters())
            parameter.copy_(arange(parameter.numel(), dtype: float32).reshape(parameter.shape).mul_(0.37).add_(name.Length).sin());
        return net;
    }

    private static void StepOnce(nn.Module<Tensor, Tensor> net, TorchSharp.Modules.AdamW optimizer, int step)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var input = arange(15, dtype: float32).reshape(3, 5).mul_(0.1 * (step + 1)).cos();
        net.call(input).pow(2).sum().backward();
        optimizer.step();
    }
}
