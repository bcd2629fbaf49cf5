using System.Text;
using PainService.Api.Predictions;
using PainService.Vision;
using PainService.Vision.Imaging;

namespace PainService.Api.Tests.Support;

/// <summary>
/// Stands in for decode + detect: the "image" is ASCII. "NOFACE" and "CORRUPT" are rejected like the real
/// pipeline would; "VALUE:x" builds an input whose first value is x; anything else gives value 1.
/// </summary>
public sealed class FakeFacePreparer : IFacePreparer
{
    public static readonly FaceBox Box = new(177, 66, 95, 95);

    /// <summary>When set, "BLOCK" images wait for it (a slow decode/detect).</summary>
    public ManualResetEventSlim? Gate { get; init; }

    /// <summary>Set when a "BLOCK" image has started preparing (it holds a preparation slot from then on).</summary>
    public ManualResetEventSlim Blocking { get; } = new(false);

    /// <summary>"FACES:n" holds n faces (values n..1, largest first); other images one face.</summary>
    public Task<IReadOnlyList<PreparedFace>> PrepareAsync(ReadOnlyMemory<byte> image, int inputSize, FacePolicy policy,
        CancellationToken cancellation)
    {
        var face = Prepare(image, inputSize);
        var text = Encoding.ASCII.GetString(image.Span);
        if (!text.StartsWith("FACES:", StringComparison.Ordinal))
            return Task.FromResult<IReadOnlyList<PreparedFace>>([face]);
        var count = int.Parse(text[6..], System.Globalization.CultureInfo.InvariantCulture);
        var faces = Enumerable.Range(0, count).Select(i =>
        {
            var input = new float[3 * inputSize * inputSize];
            input[0] = count - i;
            return new PreparedFace(new FaceBox(10 * i, 0, 100 - 10 * i, 100 - 10 * i), input, 1.5, 2.5);
        }).ToArray();
        return Task.FromResult<IReadOnlyList<PreparedFace>>(policy == FacePolicy.All ? faces : [faces[0]]);
    }

    private PreparedFace Prepare(ReadOnlyMemory<byte> image, int inputSize)
    {
        if (image.IsEmpty)
            throw new ImageRejectedException(ImageRejection.Empty, "The image is empty (0 bytes).");
        var text = Encoding.ASCII.GetString(image.Span);
        if (text.StartsWith("NOFACE", StringComparison.Ordinal))
            throw new ImageRejectedException(ImageRejection.NoFace, "No face was found in the image.");
        if (text.StartsWith("BLOCK", StringComparison.Ordinal))
        {
            Blocking.Set();
            Gate?.Wait(TimeSpan.FromSeconds(30));
        }
        if (text.StartsWith("CORRUPT", StringComparison.Ordinal))
            throw new ImageRejectedException(ImageRejection.Corrupt, "The image is truncated.");
        var input = new float[3 * inputSize * inputSize];
        input[0] = text.StartsWith("VALUE:", StringComparison.Ordinal)
            ? float.Parse(text[6..], System.Globalization.CultureInfo.InvariantCulture)
            : 1f;
        return new PreparedFace(Box, input, 1.5, 2.5);
    }
}
