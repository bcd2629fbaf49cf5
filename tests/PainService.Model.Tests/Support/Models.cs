using PainService.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Tests.Support;

/// <summary>Builds the golden models and inputs. The goldens were produced with 1 thread.</summary>
internal static class Models
{
    static Models() => torch.set_num_threads(1);

    public static GraphAuPainNet FormulaPainNet(int classes = 3)
    {
        torch.set_num_threads(1);
        var net = FormulaWeights.Apply(new GraphAuPainNet(new GraphAuConfig { ClassCount = classes }));
        net.eval();
        return net;
    }

    public static Tensor Input(int batch) =>
        tensor(FormulaInput.Batch(batch), [batch, 3, 172, 172], ScalarType.Float32);
}

/// <summary>One formula-weighted pain model shared by a test class (building one takes about a second).</summary>
public sealed class PainNetFixture : IDisposable
{
    public PainNetFixture() => Net = Models.FormulaPainNet();

    public GraphAuPainNet Net { get; }

    public void Dispose() => Net.Dispose();
}
