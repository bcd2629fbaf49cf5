using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PainService.Api.Tests.Support;

namespace PainService.Api.Tests.Security;

/// <summary>Frames are never written to disk: no multipart section can exceed the in-memory buffer threshold.</summary>
public sealed class InMemoryUploadTests
{
    [Fact]
    public async Task MultipartFramesAreBufferedInMemoryNeverInTempFiles()
    {
        await using var app = new PainApiFactory { Settings = { ["Model:AllowUntrained"] = "true" } };
        var form = app.Services.GetRequiredService<IOptions<FormOptions>>().Value;

        Assert.False(form.BufferBody);
        Assert.True(form.MemoryBufferThreshold > form.MultipartBodyLengthLimit,
            $"a section of {form.MemoryBufferThreshold}..{form.MultipartBodyLengthLimit} bytes would spill to a temp file");
        Assert.True(form.MemoryBufferThreshold > 20 * 1024 * 1024, "a frame of the default 20 MB upload limit must stay in memory");
    }
}
