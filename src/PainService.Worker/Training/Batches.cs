using static TorchSharp.torch;

namespace PainService.Worker.Training;

/// <summary>
/// Batch assembly: preprocessed CHW float arrays → one <c>(B, 3, S, S)</c> tensor on the model's device (null = CPU);
/// per-item RNG seeds.
/// </summary>
public static class Batches
{
    public static Tensor Stack(IReadOnlyList<float[]> inputs, int size, Device? device = null)
    {
        var per = 3 * size * size;
        var flat = new float[inputs.Count * per];
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Length != per)
                throw new ArgumentException($"input {i} has {inputs[i].Length} values, expected 3×{size}×{size}");
            inputs[i].CopyTo(flat, i * per);
        }
        return tensor(flat, [inputs.Count, 3, size, size], device: device);
    }

    /// <summary>
    /// A seed for (run seed, epoch, row): augmentation of a given frame in a given epoch is the same whether the
    /// epoch runs straight through or after a resume, and independent of thread scheduling.
    /// </summary>
    public static int Seed(int seed, int epoch, int row = -1)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)(epoch + 1) * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)(row + 2) * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }
}
