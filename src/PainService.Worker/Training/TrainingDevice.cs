using PainService.Model.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Worker.Training;

/// <summary>
/// Where sft, train, relabel and evaluate run: the <c>--device</c> setting (auto | cpu | cuda[:N]) resolved by the same
/// rule as the API's <c>Model:Device</c>. <c>auto</c> falls back to the CPU; an explicit <c>cuda</c> without a CUDA
/// device is an error before any data is read, so a GPU pod that lost its GPU fails loudly instead of training for
/// days on a CPU.
/// </summary>
public static class TrainingDevice
{
    public const string Auto = "auto";

    public static Device Resolve(string? setting) => PainModelFactory.ResolveDevice(setting, "--device");

    /// <summary>"cpu" or "cuda:N": what the run's log and the model's provenance record.</summary>
    public static string Name(Device device) => device.type == DeviceType.CUDA ? $"cuda:{Math.Max(0, device.index)}" : device.type.ToString().ToLowerInvariant();

    /// <summary>The device a module's parameters live on (CPU for a module without parameters).</summary>
    public static Device Of(nn.Module module) => module.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>
    /// A float tensor's values as a managed array, through a CPU copy when it lives on a GPU (data&lt;T&gt;() only
    /// reads host memory). Call inside a dispose scope: the copy is registered there.
    /// </summary>
    public static float[] ToArray(Tensor tensor) =>
        (tensor.device_type == DeviceType.CPU ? tensor : tensor.cpu()).contiguous().data<float>().ToArray();
}
