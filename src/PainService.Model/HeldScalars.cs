using System.Collections.Concurrent;
using TorchSharp;

namespace PainService.Model;

/// <summary>
/// Scalars that live as long as the process, for the constants of our forward passes and losses. TorchSharp turns a
/// number given to a tensor op — and the implied <c>alpha = 1</c> of <c>add</c>, <c>add_</c> and <c>+</c> — into a
/// temporary <see cref="Scalar"/> that nothing keeps alive during the native call; a garbage collection at that moment
/// lets its finalizer free it while libtorch still reads it (see <see cref="Normalization.GcSafeBatchNorm"/>). A
/// Scalar held in a static field is never finalized. Only for constants: every distinct value stays for good.
/// </summary>
public static class HeldScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> ByValue = new();

    /// <summary>The integer 1: the alpha of a plain add, and the step of a counter of any dtype.</summary>
    public static Scalar One { get; } = 1L.ToScalar();

    /// <summary>The held Scalar for a constant (a losing racer's duplicate is simply never used).</summary>
    public static Scalar Of(double constant) => ByValue.GetOrAdd(constant, static c => c.ToScalar());
}
