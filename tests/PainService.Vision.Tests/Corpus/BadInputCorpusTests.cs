using PainService.Vision.Imaging;

namespace PainService.Vision.Tests.Corpus;

/// <summary>Each kind of bad input of issue 3 through decode → detect: the exact rejection reason.</summary>
public sealed class BadInputCorpusTests : CorpusPipelineTests
{
    public static TheoryData<string, ImageRejection> Rejections => new()
    {
        { "zero bytes", ImageRejection.Empty },
        { "text file named .jpg", ImageRejection.UnsupportedFormat },
        { "html", ImageRejection.UnsupportedFormat },
        { "pdf", ImageRejection.UnsupportedFormat },
        { "tiff", ImageRejection.UnsupportedFormat },
        { "heic", ImageRejection.UnsupportedFormat },
        { "avif", ImageRejection.UnsupportedFormat },
        { "png declaring 100000x100000", ImageRejection.DimensionsTooLarge },
        { "png declaring 2147483647x1", ImageRejection.DimensionsTooLarge },
        { "jpeg declaring 65500x65500", ImageRejection.DimensionsTooLarge },
        { "gif declaring 65535x65535", ImageRejection.DimensionsTooLarge },
        { "bmp declaring 100000x100000", ImageRejection.DimensionsTooLarge },
        { "webp declaring 16384x16384", ImageRejection.DimensionsTooLarge },
        { "truncated png", ImageRejection.Corrupt },
        { "truncated jpeg", ImageRejection.Corrupt },
        { "png with a flipped data byte", ImageRejection.Corrupt },
        { "1x1 png", ImageRejection.TooSmall },
        { "1x1 jpeg", ImageRejection.TooSmall },
        { "16x16 gif", ImageRejection.TooSmall },
        { "blank 24x24 png", ImageRejection.NoFace },
        { "cat photo", ImageRejection.NoFace },
        { "animated gif whose first frame is the cat", ImageRejection.NoFace },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void BadInputIsRejectedWithItsReason(string name, ImageRejection expected)
    {
        var ex = Assert.Throws<ImageRejectedException>(() => Run(BadInputCases.Build(name)));
        Assert.True(expected == ex.Reason, $"{name}: {ex.Reason} ({ex.Message})");
    }

    [Fact]
    public void EveryNamedCaseHasItsExpectedReason() =>
        Assert.Equal(BadInputCases.Names.Order(), Rejections.Select(row => (string)row[0]).Order());

    [Fact]
    public void OversizedUploadIsTooLarge() =>
        Assert.Equal(ImageRejection.TooLarge, Reject(new byte[Options.MaxUploadBytes + 1]));
}
