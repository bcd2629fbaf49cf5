using System.Text;

namespace PainService.Model.Weights;

/// <summary>The hash → uniform map of WEIGHTS.md §1: <c>u(name, i) ∈ [-1, 1)</c>, exact in IEEE double.</summary>
public static class FormulaHash
{
    private const ulong FnvOffset = 0xcbf29ce484222325UL;
    private const ulong FnvPrime = 0x100000001b3UL;

    public static ulong Fnv1a64(string s)
    {
        var h = FnvOffset;
        foreach (var b in Encoding.UTF8.GetBytes(s))
            h = (h ^ b) * FnvPrime;
        return h;
    }

    public static ulong SplitMix64(ulong x)
    {
        var z = x + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary><c>u(name, i)</c> for a precomputed <c>fnv1a64(name)</c>.</summary>
    public static double U(ulong nameHash, long i) =>
        (SplitMix64(nameHash ^ (ulong)i) >> 11) * (1.0 / (1UL << 52)) - 1.0;

    public static double U(string name, long i) => U(Fnv1a64(name), i);
}
