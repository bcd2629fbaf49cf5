using PainService.Api.Inference;

namespace PainService.Api.Tests.Health;

public sealed class PathRedactionTests
{
    [Theory]
    [InlineData("Model checkpoint '/models/best.ckpt' (Model:CheckpointPath) does not exist.",
        "Model checkpoint 'best.ckpt' (Model:CheckpointPath) does not exist.")]
    [InlineData("Haar cascade '/srv/my models/cascade v2.xml' is empty", "Haar cascade 'cascade v2.xml' is empty")] // quoted, with spaces
    [InlineData("Could not find file \"/mnt/store/ward 7/v3.ckpt\".", "Could not find file \"v3.ckpt\".")]
    [InlineData("Unable to load shared library 'libX.so': /opt/app/runtimes/linux-x64/native/libX.so: cannot open shared object file",
        "Unable to load shared library 'libX.so': libX.so: cannot open shared object file")] // bare: up to the whitespace
    [InlineData(@"Checkpoint 'C:\models\best.ckpt' is missing", "Checkpoint 'best.ckpt' is missing")]
    [InlineData("failed: /data/models/ (a directory)", "failed: models (a directory)")]
    public void AbsolutePathsBecomeTheirFileNames(string text, string expected) => Assert.Equal(expected, PathRedaction.Apply(text));

    [Theory]
    [InlineData("model loaded and warmed up")]
    [InlineData("the untrained reference model is refused in Production (set Model:AllowUntrained=true or configure Model:CheckpointPath)")]
    [InlineData("Haar cascade not found at 'Cascades/missing.xml'")] // relative: says nothing about the machine
    [InlineData("see https://example.org/docs/models for details")]
    [InlineData("a forward pass exceeded 00:01:00; the process is restarting")]
    [InlineData("input 3/4 done, AU1/AU2 pair")]
    public void TextWithoutAbsolutePathsIsUnchanged(string text) => Assert.Equal(text, PathRedaction.Apply(text));
}
