using PainService.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Tests.Support;

/// <summary>
/// Builds the golden models and inputs. The goldens were produced with 1 thread; libtorch's thread setting is per
/// calling thread, so every golden test sets it on its own thread. PAINSERVICE_TEST_THREADS overrides it (to measure).
/// </summary>
internal static class Models
{
    public static int Threads { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("PAINSERVICE_TEST_THREADS"), out var n) && n > 0 ? n : 1;

    public static void UseGoldenThreads() => torch.set_num_threads(Threads);

    public static GraphAuPainNet FormulaPainNet(int classes = 3)
    {
        UseGoldenThreads();
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
