using PainService.Model;
using PainService.Model.Inference;

namespace PainService.Api.Tests.Support;

/// <summary>
/// A deterministic stand-in for the model: every output is a function of the input's first value, so a test can
/// tell whose result a caller received. Records batch sizes; can throw or block on demand. Like a real module, it
/// refuses to run after <see cref="Dispose"/> (ObjectDisposedException), so a use-after-dispose shows up as a failure.
/// </summary>
public sealed class FakePredictor(bool trained = false, int inputSize = 4, string? version = null, string? sha256 = null) : IPainPredictor
{
    private readonly List<int> _batchSizes = [];
    private readonly List<float> _values = [];

    public ModelDescriptor Descriptor { get; } = new("GraphAU-Pain", version ?? (trained ? "v-test" : "untrained-reference"),
        sha256 ?? new string('a', 64), trained, PainScheme.ThreeLevel, "cpu");

    private volatile bool _disposed;

    public bool Disposed => _disposed;

    public int InputSize => Disposed ? throw new ObjectDisposedException(nameof(FakePredictor), Descriptor.Version) : inputSize;

    public Exception? Throw { get; set; }

    /// <summary>When set, inputs whose length is not 3×InputSize² are refused like the real predictor does (ArgumentException).</summary>
    public bool StrictInputSize { get; init; }

    /// <summary>When set, each forward waits for it (simulates a slow or wedged forward pass).</summary>
    public ManualResetEventSlim? Gate { get; set; }

    /// <summary>Set when a forward pass has started (and possibly blocks on <see cref="Gate"/>).</summary>
    public ManualResetEventSlim Entered { get; } = new(false);

    public int ForwardCount { get; private set; }

    public IReadOnlyList<int> BatchSizes { get { lock (_batchSizes) return [.. _batchSizes]; } }

    /// <summary>The first value of every input run so far, in order: which requests reached the forward pass.</summary>
    public IReadOnlyList<float> Values { get { lock (_batchSizes) return [.. _values]; } }

    public IReadOnlyList<PainPrediction> Predict(IReadOnlyList<float[]> inputs)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Entered.Set();
        Gate?.Wait(TimeSpan.FromSeconds(30));
        ObjectDisposedException.ThrowIf(Disposed, this); // disposed while this forward was blocked
        if (StrictInputSize && inputs.FirstOrDefault(i => i.Length != 3 * inputSize * inputSize) is { } wrong)
            throw new ArgumentException($"An input has {wrong.Length} values; expected 3×{inputSize}×{inputSize}.", nameof(inputs));
        ForwardCount++;
        lock (_batchSizes)
        {
            _batchSizes.Add(inputs.Count);
            _values.AddRange(inputs.Select(i => i.Length > 0 ? i[0] : 0f));
        }
        if (Throw is { } e)
            throw e;
        return inputs.Select(Expected).ToArray();
    }

    /// <summary>What this fake answers for an input whose first value is v.</summary>
    public static PainPrediction Expected(float[] input)
    {
        var v = input.Length > 0 ? input[0] : 0f;
        var adjacency = Enumerable.Range(0, 8).Select(i => Enumerable.Range(0, 8).Select(j => i == j ? 1 : 0).ToArray()).ToArray();
        var normalized = adjacency.Select(r => r.Select(x => (float)x).ToArray()).ToArray();
        return new PainPrediction(
            [v, 0.5f, -v],
            Enumerable.Range(0, 8).Select(i => 0.3f + 0.1f * i).ToArray(),
            adjacency,
            normalized,
            [v]);
    }

    public void Dispose() => _disposed = true;
}
