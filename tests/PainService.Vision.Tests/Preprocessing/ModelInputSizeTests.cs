using PainService.Vision.Detection;
using PainService.Vision.Imaging;
using PainService.Vision.Pipeline;
using PainService.Vision.Preprocessing;
using PainService.Vision.Tests.Golden;

namespace PainService.Vision.Tests.Preprocessing;

/// <summary>
/// Issue 3: the test transform at a model input size other than 172 (the worker's <c>ci</c> preset takes 96). The
/// service and the worker's evaluation share <see cref="ModelInputBuilder.TestTransform"/>; these tests pin what it
/// computes at 96 against a reference written out here step by step, and that the pipeline builds it on request.
/// </summary>
public sealed class ModelInputSizeTests
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    [Theory]
    [InlineData(172, 256)]
    [InlineData(96, 143)] // 142.88
    [InlineData(64, 95)]  // 95.26
    [InlineData(1, 1)]
    public void ResizeKeepsTheSpecsRatio(int inputSize, int resizeTo) =>
        Assert.Equal(resizeTo, ModelInputBuilder.ResizeFor(inputSize));

    [Fact]
    public void ZeroOrNegativeSizesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelInputBuilder.ResizeFor(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelInputBuilder.TestTransform(Stored(), -1));
    }

    [Fact]
    public void At96TheStoredCropIsResizedTo143AndCentreCroppedAt24()
    {
        var stored = Stored();

        var actual = ModelInputBuilder.TestTransform(stored, 96);

        // Resize(143): 172×172 → 143×143 with PIL's bilinear; CenterCrop(96): round((143 − 96) / 2) = round(23.5) = 24.
        var resized = PilBilinearResampler.Resize(stored.Rgb, 172, 172, 143, 143);
        const int size = 96, offset = 24, plane = size * size;
        var expected = new float[3 * plane];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                for (var c = 0; c < 3; c++)
                    expected[c * plane + y * size + x] = (resized[((offset + y) * 143 + offset + x) * 3 + c] / 255f - Mean[c]) / Std[c];
        Assert.Equal(expected, actual); // bit for bit
    }

    [Fact]
    public async Task ThePipelineBuildsTheInputAtTheSizeAskedForFromTheSameBox()
    {
        var options = new VisionOptions();
        using var detector = new HaarDetectorPool(options);
        var pipeline = new FacePipeline(new ImageDecoder(options), detector, options);

        var paper = Assert.Single(pipeline.Run(GoldenFiles.Astronaut).Faces);
        var small = Assert.Single(pipeline.Run(GoldenFiles.Astronaut, inputSize: 96).Faces);
        var smallAsync = Assert.Single((await pipeline.RunAsync(GoldenFiles.Astronaut, inputSize: 96)).Faces);

        Assert.Equal(3 * 172 * 172, paper.Input.Length);
        Assert.Equal(paper.Box, small.Box);
        Assert.Equal(ModelInputBuilder.FromFace(GoldenFiles.AstronautDecoded, small.Box, 96), small.Input);
        Assert.Equal(small.Input, smallAsync.Input);
        Assert.Equal(ModelInputBuilder.FromFace(GoldenFiles.AstronautDecoded, paper.Box), paper.Input);
    }

    /// <summary>The golden face's 172×172 stored crop (box 177, 66, 95, 95 of astronaut.png).</summary>
    private static DecodedImage Stored()
    {
        var face = ModelInputBuilder.Crop(GoldenFiles.AstronautDecoded, new FaceBox(177, 66, 95, 95));
        return new DecodedImage(PilBilinearResampler.Resize(face.Rgb, face.Width, face.Height, 172, 172), 172, 172);
    }
}
