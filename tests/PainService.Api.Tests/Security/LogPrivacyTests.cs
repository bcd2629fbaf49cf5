using System.Net;
using System.Net.Http.Headers;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Security;

/// <summary>Frames and patient identifiers never reach the logs, whatever the request carries and however it ends.</summary>
public sealed class LogPrivacyTests
{
    private const string PatientId = "PATIENT-7731-ZEBRA";

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task PatientIdInHeaderFilenameQueryAndBodyLeavesNoTraceInLogs(string environment)
    {
        await using var app = new PainApiFactory
        {
            EnvironmentName = environment,
            Settings = { ["Model:AllowUntrained"] = "true", ["Auth:ApiKeys:12:Name"] = "ward-7", ["Auth:ApiKeys:12:Sha256"] =
                PainService.Api.Security.ApiKeyStore.Hash("ward-7-key"), ["Auth:ApiKeys:12:Roles:0"] = "predict" },
        };
        await app.StartAsync();
        var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "ward-7-key");
        client.DefaultRequestHeaders.Add("X-Patient-Id", PatientId);

        HttpContent Upload(string body)
        {
            var file = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(body));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            return new MultipartFormDataContent { { file, "image", $"{PatientId}.jpg" } };
        }

        var ok = await client.PostAsync($"/v1/pain/predict?patient={PatientId}", Upload("VALUE:1"));
        var noFace = await client.PostAsync($"/v1/pain/predict?patient={PatientId}", Upload($"NOFACE {PatientId}"));
        var corrupt = await client.PostAsync($"/v1/pain/predict?patient={PatientId}", Upload($"CORRUPT {PatientId}"));
        var batch = await client.PostAsync($"/v1/pain/predict-batch?patient={PatientId}",
            new MultipartFormDataContent { { new ByteArrayContent("VALUE:2"u8.ToArray()) { Headers = { ContentType = new("image/png") } }, "frame-1", $"{PatientId}.png" } });
        var badKey = new HttpRequestMessage(HttpMethod.Post, $"/v1/pain/predict?patient={PatientId}") { Content = Upload("VALUE:1") };
        badKey.Headers.Add("X-Api-Key", PatientId); // even a key that is itself an identifier
        var unauthorized = await app.CreateAnonymousClient().SendAsync(badKey);
        var notFound = await client.GetAsync($"/v1/patients/{PatientId}");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal((HttpStatusCode)422, noFace.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, corrupt.StatusCode);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);

        var logs = app.Logs.All;
        Assert.DoesNotContain(PatientId, logs);
        // The request lines are there, and they carry the request id, the client and the outcome.
        Assert.Contains(app.Logs.Lines, l => l.Contains("from ward-7: POST /v1/pain/predict → 200", StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, l => l.Contains("→ 422 no_face", StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, l => l.Contains("RequestId=", StringComparison.Ordinal));
    }
}
