using System.Net;
using System.Net.Http.Headers;
using PainService.Api.Tests.Support;
using PainService.Vision.Tests.Corpus;
using PainService.Vision.Tests.Golden;

namespace PainService.Api.Tests.EndToEnd;

/// <summary>
/// Issue 3's bad-input corpus (the Vision tests' own generators) over HTTP through the real decoder and detector:
/// every kind gets its exact status and stable problem code, sent as a raw body and as a multipart file alike.
/// </summary>
public sealed class BadInputOverHttpTests
{
    private const string Predict = "/v1/pain/predict";

    public static TheoryData<string, int, string> Expected => new()
    {
        { "zero bytes", 400, "empty_body" },
        { "text file named .jpg", 415, "unsupported_format" },
        { "html", 415, "unsupported_format" },
        { "pdf", 415, "unsupported_format" },
        { "tiff", 415, "unsupported_format" },
        { "heic", 415, "unsupported_format" },
        { "avif", 415, "unsupported_format" },
        { "png declaring 100000x100000", 413, "dimensions_too_large" },
        { "png declaring 2147483647x1", 413, "dimensions_too_large" },
        { "jpeg declaring 65500x65500", 413, "dimensions_too_large" },
        { "gif declaring 65535x65535", 413, "dimensions_too_large" },
        { "bmp declaring 100000x100000", 413, "dimensions_too_large" },
        { "webp declaring 16384x16384", 413, "dimensions_too_large" },
        { "truncated png", 400, "corrupt_image" },
        { "truncated jpeg", 400, "corrupt_image" },
        { "png with a flipped data byte", 400, "corrupt_image" },
        { "1x1 png", 422, "image_too_small" },
        { "1x1 jpeg", 422, "image_too_small" },
        { "16x16 gif", 422, "image_too_small" },
        { "blank 24x24 png", 422, "no_face" },
        { "cat photo", 422, "no_face" },
        { "animated gif whose first frame is the cat", 422, "no_face" },
    };

    private static PainApiFactory RealVisionApp() => new() { RealVision = true, Predictor = new FakePredictor(inputSize: 172) };

    internal static ByteArrayContent Raw(byte[] bytes, string? contentType = "application/octet-stream")
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    /// <summary>The way a browser form or a hospital system uploads: a file part named like a photo.</summary>
    internal static MultipartFormDataContent Multipart(byte[] bytes, string fileName = "frame.jpg") =>
        new() { { Raw(bytes, "image/jpeg"), "image", fileName } };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task EachCorpusKindGetsItsStatusAndCode(string name, int status, string code)
    {
        var bytes = BadInputCases.Build(name);
        await using var app = RealVisionApp();
        var client = await app.StartAsync();

        await Problems.AssertProblemAsync(await client.PostAsync(Predict, Raw(bytes)), (HttpStatusCode)status, code);
        await Problems.AssertProblemAsync(await client.PostAsync(Predict, Multipart(bytes)), (HttpStatusCode)status, code);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public void EveryCorpusKindHasAnExpectedAnswer() =>
        Assert.Equal(BadInputCases.Names.Order(), Expected.Select(row => (string)row[0]).Order());

    [Fact]
    public async Task UploadOverTheLimitIs413PayloadTooLargeAndOneAtTheLimitIsServed()
    {
        var photo = GoldenFiles.Astronaut;
        await using (var tight = new PainApiFactory { RealVision = true, Predictor = new FakePredictor(inputSize: 172),
            Settings = { ["Vision:MaxUploadBytes"] = (photo.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) } })
        {
            var client = await tight.StartAsync();
            await Problems.AssertProblemAsync(await client.PostAsync(Predict, Raw(photo, "image/png")), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
            await Problems.AssertProblemAsync(await client.PostAsync(Predict, Multipart(photo, "astronaut.png")), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        }
        await using (var exact = new PainApiFactory { RealVision = true, Predictor = new FakePredictor(inputSize: 172),
            Settings = { ["Vision:MaxUploadBytes"] = photo.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
        {
            var client = await exact.StartAsync();
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Predict, Raw(photo, "image/png"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Predict, Multipart(photo, "astronaut.png"))).StatusCode);
        }
        await using var defaults = RealVisionApp(); // the shipped limit, 20 MiB
        var http = await defaults.StartAsync();
        await Problems.AssertProblemAsync(await http.PostAsync(Predict, Raw(new byte[20 * 1024 * 1024 + 1])),
            HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task FaceUnderTheConfiguredMinimumIs422FaceTooSmall()
    {
        var halfSize = BadInputCorpus.AstronautScaled(256); // the face is ≈ 48 px wide
        await using (var strict = new PainApiFactory { RealVision = true, Predictor = new FakePredictor(inputSize: 172),
            Settings = { ["Vision:MinFaceSize"] = "64" } })
        {
            var client = await strict.StartAsync();
            var body = await Problems.AssertProblemAsync(await client.PostAsync(Predict, Raw(halfSize, "image/png")),
                (HttpStatusCode)422, "face_too_small");
            Assert.Contains("64 px", body.GetProperty("detail").GetString());
        }
        await using var lenient = RealVisionApp(); // the same photo is served when no minimum is configured
        var http = await lenient.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(Predict, Raw(halfSize, "image/png"))).StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task PhotoUnderAWrongContentTypeIs415UnsupportedMediaType(string? contentType)
    {
        await using var app = RealVisionApp();
        var client = await app.StartAsync();
        await Problems.AssertProblemAsync(await client.PostAsync(Predict, Raw(GoldenFiles.Astronaut, contentType)),
            HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }
}
