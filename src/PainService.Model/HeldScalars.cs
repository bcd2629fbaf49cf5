using TorchSharp;

namespace PainService.Model;

/// <summary>
/// The Scalar 1, held for the life of the process. TorchSharp turns a number given to a tensor op — and the implied
/// <c>alpha = 1</c> of <c>add</c>, <c>add_</c> and <c>+</c> — into a temporary <see cref="Scalar"/> that nothing keeps
/// alive during the native call; a garbage collection at that moment lets its finalizer free it while libtorch still
/// reads it (see <see cref="Normalization.GcSafeBatchNorm"/>). So our forward passes and losses pass Scalars that are
/// held: this one for every plain add, and their own constants in static or module fields (never finalized while used).
/// </summary>
public static class HeldScalars
{
    /// <summary>The integer 1: the alpha of a plain add, and the step of a counter of any dtype.</summary>
    public static Scalar One { get; } = 1L.ToScalar();
}
