using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Predictions;

/// <summary>
/// Multipart bodies whose framing ends early (a correct Content-Length, but no closing boundary) are the client's
/// fault: 400 <c>bad_request</c> problem+json on both upload endpoints, never a 500, and nothing logged as an error.
/// </summary>
public sealed class MalformedMultipartTests
{
    public const string Boundary = "painservice-test-boundary";

    /// <summary>One file part with its headers and bytes, then the end of the body: no closing boundary.</summary>
    public static byte[] Unterminated(string field, string payload) => Encoding.ASCII.GetBytes(
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"frame.jpg\"\r\n"
        + $"Content-Type: image/jpeg\r\n\r\n{payload}");

    public static ByteArrayContent Multipart(byte[] body) => new(body)
    {
        Headers = { ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}") },
    };

    public static TheoryData<string, string> Cases() => new()
    {
        { "/v1/pain/predict", "VALUE:1" },       // file bytes, then the body ends
        { "/v1/pain/predict", "" },              // an empty file part, then the body ends
        { "/v1/pain/predict-batch", "VALUE:1" },
        { "/v1/pain/predict-batch", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BodyEndingBeforeTheClosingBoundaryIsProblem400BadRequest(string path, string payload)
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();
        var body = Unterminated(path.EndsWith("batch", StringComparison.Ordinal) ? "bed-1/t0" : "image", payload);

        using var response = await client.PostAsync(path, Multipart(body));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "bad_request");
        Assert.DoesNotContain(app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        // The service is unharmed: a well-formed request right after is answered.
        using var good = new MultipartFormDataContent { { new ByteArrayContent("VALUE:2"u8.ToArray()), "image", "f.jpg" } };
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/pain/predict", good)).StatusCode);
    }

    [Theory]
    [InlineData("/v1/pain/predict")]
    [InlineData("/v1/pain/predict-batch")]
    public async Task CorruptBoundaryAndMissingPartHeadersAreProblem400(string path)
    {
        await using var app = new PainApiFactory();
        var client = await app.StartAsync();
        var field = path.EndsWith("batch", StringComparison.Ordinal) ? "f0" : "image";

        // The body's delimiter is not the declared boundary: the reader never finds a first part.
        var wrongBoundary = Encoding.ASCII.GetBytes(
            $"--other\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"a.jpg\"\r\n\r\nVALUE:1\r\n--other--\r\n");
        // A part without any headers (so no Content-Disposition and no field name), properly closed.
        var noHeaders = Encoding.ASCII.GetBytes($"--{Boundary}\r\n\r\nVALUE:1\r\n--{Boundary}--\r\n");

        using var first = await client.PostAsync(path, Multipart(wrongBoundary));
        using var second = await client.PostAsync(path, Multipart(noHeaders));

        await Problems.AssertProblemAsync(first, HttpStatusCode.BadRequest, "bad_request");
        await Problems.AssertProblemAsync(second, HttpStatusCode.BadRequest, "bad_request");
        Assert.DoesNotContain(app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }
}
