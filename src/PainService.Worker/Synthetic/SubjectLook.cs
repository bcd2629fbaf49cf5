using SkiaSharp;

namespace PainService.Worker.Synthetic;

/// <summary>A synthetic subject's fixed appearance, so splits by subject are meaningful (identity ≠ expression).</summary>
public sealed record SubjectLook(SKColor Skin, SKColor Hair, SKColor Background, float FaceScale, float EyeSpacing, float OffsetX, float OffsetY)
{
    private static readonly SKColor[] Skins =
        [new(241, 204, 178), new(224, 172, 140), new(198, 134, 96), new(160, 106, 72), new(120, 80, 56), new(250, 220, 196)];

    private static readonly SKColor[] Hairs = [new(40, 28, 20), new(92, 60, 30), new(200, 170, 110), new(70, 70, 70), new(130, 50, 30)];

    public static SubjectLook Draw(Random rng) => new(
        Skins[rng.Next(Skins.Length)],
        Hairs[rng.Next(Hairs.Length)],
        new SKColor((byte)rng.Next(60, 200), (byte)rng.Next(60, 200), (byte)rng.Next(60, 200)),
        0.92f + 0.14f * rng.NextSingle(),
        20f + 5f * rng.NextSingle(),
        -4f + 8f * rng.NextSingle(),
        -4f + 8f * rng.NextSingle());
}
