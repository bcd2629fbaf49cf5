using TorchSharp;

namespace PainService.Model.Tests;

public sealed class NativeRuntimeTests
{
    [Fact]
    public void LibTorchLoadsAndComputes()
    {
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var b = a.sum();
        Assert.Equal(15f, b.item<float>());
    }
}
