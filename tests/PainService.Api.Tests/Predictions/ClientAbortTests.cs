using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Predictions;

/// <summary>
/// A client that goes away in the middle of its upload (on real Kestrel sockets: it closes or resets the connection
/// before sending the Content-Length it announced) is not an error of the service: nothing is logged at Error, the
/// request log records it as a client fault (499 client_closed), and the service keeps answering.
/// </summary>
public sealed class ClientAbortTests
{
    [Theory]
    [InlineData("/v1/pain/predict", false)]
    [InlineData("/v1/pain/predict", true)]
    [InlineData("/v1/pain/predict-batch", false)]
    [InlineData("/v1/pain/predict-batch", true)]
    public async Task UploadCutOffByTheClientIsLoggedAsAClientAbortNotAnError(string path, bool reset)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = new PainApiFactory
        {
            ConfigureServices = services => services.AddSingleton<IStartupFilter>(new Signal(path, arrived)),
        };
        app.UseKestrel(0);
        var client = await app.StartAsync();
        var field = path.EndsWith("batch", StringComparison.Ordinal) ? "f0" : "image";
        var part = MalformedMultipartTests.Unterminated(field, "VALUE:1");

        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(client.BaseAddress!.Host, client.BaseAddress.Port);
            var head = $"POST {path} HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: {PainApiFactory.PredictKey}\r\n"
                + $"Content-Type: multipart/form-data; boundary={MalformedMultipartTests.Boundary}\r\n"
                + $"Content-Length: {part.Length + 10_000}\r\n\r\n"; // announces more than will ever come
            await socket.SendAsync(Encoding.ASCII.GetBytes(head));
            await socket.SendAsync(part);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(20)); // the request is in the pipeline, its body not all sent
            if (reset)
                socket.LingerState = new LingerOption(true, 0); // close → RST
            socket.Close();
        }

        var line = await WaitForAsync(() => app.Logs.Lines.FirstOrDefault(l => l.Contains($"POST {path} →", StringComparison.Ordinal)),
            app.Logs);
        // A reset is always a client abort. A plain close ends the body early, and Kestrel throws "unexpected end of
        // request content" before it raises RequestAborted (which it does from the thread pool): seen first, that is
        // a 400 bad_request of the client's (answered to nobody). Either way a client fault, never a 500 or an error.
        string[] accepted = reset ? ["→ 499 client_closed"] : ["→ 499 client_closed", "→ 400 bad_request"];
        Assert.True(accepted.Any(a => line.Contains(a, StringComparison.Ordinal)), line);
        Assert.DoesNotContain(app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)
            || l.StartsWith("Warning Microsoft.AspNetCore", StringComparison.Ordinal));
        using var good = new MultipartFormDataContent { { new ByteArrayContent("VALUE:2"u8.ToArray()), "image", "f.jpg" } };
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/pain/predict", good)).StatusCode);
    }

    /// <summary>Sets its signal when a request for the path enters the pipeline (before authentication and the handler).</summary>
    private sealed class Signal(string path, TaskCompletionSource arrived) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path == path)
                    arrived.TrySetResult();
                await nextMiddleware(context);
            });
            next(app);
        };
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, CapturedLogs logs)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = probe();
            if (value is not null and not false)
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the awaited log line never came:\n" + logs.All);
            await Task.Delay(10);
        }
    }
}
