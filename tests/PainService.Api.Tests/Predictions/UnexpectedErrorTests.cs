using System.Net;
using PainService.Api.Predictions;
using PainService.Api.Tests.Support;
using PainService.Vision;

namespace PainService.Api.Tests.Predictions;

/// <summary>
/// A bug anywhere under a request is answered 500 <c>internal_error</c> problem+json with the requestId to quote and
/// nothing of the exception — also in Development, where clinicians try the API in Swagger UI — and logged with it.
/// </summary>
public sealed class UnexpectedErrorTests
{
    private const string Internal = "cache slot 0x5f3a"; // stands for the internals an exception message carries

    private sealed class BrokenFacePreparer : IFacePreparer
    {
        public Task<IReadOnlyList<PreparedFace>> PrepareAsync(ReadOnlyMemory<byte> image, int inputSize, FacePolicy policy, CancellationToken cancellation) =>
            throw new InvalidOperationException($"a bug that knows about {Internal}");
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task ABugIsA500InternalErrorWithoutItsDetails(string environment)
    {
        await using var app = new PainApiFactory
        {
            EnvironmentName = environment, FacePreparer = new BrokenFacePreparer(), Predictor = new FakePredictor(trained: true),
        };
        var client = await app.StartAsync();

        using var response = await client.PostAsync("/v1/pain/predict", new ByteArrayContent("VALUE:1"u8.ToArray()) { Headers = { ContentType = new("image/png") } });

        var body = await Problems.AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal_error");
        var text = body.GetRawText();
        Assert.DoesNotContain(Internal, text);
        Assert.DoesNotContain(nameof(InvalidOperationException), text);
        Assert.Contains("requestId", body.GetProperty("detail").GetString());
        var requestId = body.GetProperty("requestId").GetString();
        Assert.False(string.IsNullOrEmpty(requestId));
        // The log has what the answer leaves out, under the same request id: the exception type and its message.
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Error ") && l.Contains($"Unhandled exception in request {requestId}")
                                             && l.Contains("InvalidOperationException: a bug that knows about"));
    }
}
