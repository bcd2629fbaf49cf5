using System.Text.Json;
using PainService.Testing;
using PainService.Vision.Imaging;

namespace PainService.Vision.Tests.Golden;

/// <summary>Loads ../shared/golden files once per test run.</summary>
internal static class GoldenFiles
{
    private static readonly Lazy<byte[]> AstronautBytes = new(() => File.ReadAllBytes(RepoPaths.Golden("astronaut.png")));
    private static readonly Lazy<byte[]> ChelseaBytes = new(() => File.ReadAllBytes(RepoPaths.Golden("chelsea.png")));
    private static readonly Lazy<DecodedImage> AstronautImage = new(() => new ImageDecoder(new VisionOptions()).Decode(Astronaut));

    public static byte[] Astronaut => AstronautBytes.Value;
    public static byte[] Chelsea => ChelseaBytes.Value;
    public static DecodedImage AstronautDecoded => AstronautImage.Value;

    public static JsonElement Json(string file) =>
        JsonDocument.Parse(File.ReadAllText(RepoPaths.Golden(file))).RootElement;

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
