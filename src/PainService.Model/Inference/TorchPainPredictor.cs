using TorchSharp;
using static TorchSharp.torch;

namespace PainService.Model.Inference;

/// <summary>
/// Serves a <see cref="GraphAuPainNet"/> in eval and inference mode. Each <see cref="Predict"/> runs in one dispose
/// scope and copies the outputs into managed records, so no tensor outlives the call. Call from one thread.
/// </summary>
public sealed class TorchPainPredictor : IPainPredictor
{
    private readonly GraphAuPainNet _net;
    private readonly Device _device;
    private readonly int _intraOpThreads;

    internal TorchPainPredictor(GraphAuPainNet net, ModelDescriptor descriptor, Device device, int intraOpThreads = 0)
    {
        _net = net;
        _device = device;
        _intraOpThreads = intraOpThreads;
        Descriptor = descriptor;
        _net.eval();
    }

    public ModelDescriptor Descriptor { get; }

    public int InputSize => _net.Config.InputSize;

    public GraphAuConfig Config => _net.Config;

    public IReadOnlyList<PainPrediction> Predict(IReadOnlyList<float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
            return [];
        var size = InputSize;
        var imageLength = 3 * size * size;
        var batch = new float[inputs.Count * imageLength];
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Length != imageLength)
                throw new ArgumentException($"Input {i} has {inputs[i].Length} values; expected 3×{size}×{size} = {imageLength}.", nameof(inputs));
            inputs[i].CopyTo(batch, i * imageLength);
        }

        // libtorch keeps the OpenMP thread count per OS thread: apply the setting on the thread that predicts.
        if (_intraOpThreads > 0 && torch.get_num_threads() != _intraOpThreads)
            torch.set_num_threads(_intraOpThreads);

        using var _ = torch.inference_mode();
        using var scope = NewDisposeScope();
        var x = tensor(batch, [inputs.Count, 3, size, size]).to(_device);
        var result = _net.call(x);
        return ToRecords(result, inputs.Count);
    }

    private static PainPrediction[] ToRecords(PainModelOutput result, int count)
    {
        var logits = Rows(result.Logits, count);
        var scores = Rows(result.AuScores, count);
        var adjacency = Rows(result.Adjacency, count);
        var normalized = Rows(result.NormalizedAdjacency, count);
        var graph = Rows(result.GraphRepresentation, count);
        var j = (int)result.AuScores.shape[1];
        return Enumerable.Range(0, count).Select(n => new PainPrediction(
            logits[n],
            scores[n],
            Matrix(adjacency[n], j).Select(row => row.Select(v => (int)v).ToArray()).ToArray(),
            Matrix(normalized[n], j),
            graph[n])).ToArray();
    }

    private static float[][] Rows(Tensor t, int count)
    {
        var flat = t.cpu().contiguous().data<float>().ToArray();
        var width = flat.Length / count;
        return Enumerable.Range(0, count).Select(n => flat.AsSpan(n * width, width).ToArray()).ToArray();
    }

    private static float[][] Matrix(float[] flat, int n) =>
        Enumerable.Range(0, n).Select(i => flat.AsSpan(i * n, n).ToArray()).ToArray();

    public void Dispose() => _net.Dispose();
}
