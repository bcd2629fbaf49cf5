using System.Text.Json;
using Microsoft.Playwright;
using PainService.Testing;
using Xunit.Abstractions;

namespace PainService.Browser.Tests;

/// <summary>
/// A clinician's path through Swagger UI in a real browser: open /swagger, authorise with an API key when the
/// API declares one, upload astronaut.png to POST /v1/pain/predict, and read the rendered response. The values
/// are checked against the golden untrained-model outputs, and a screenshot is kept as the test's artifact.
/// </summary>
public sealed class SwaggerUiTests(ITestOutputHelper output)
{
    private static readonly string[] DisfaAus = ["AU1", "AU2", "AU4", "AU6", "AU9", "AU12", "AU25", "AU26"];
    private static readonly string[] ThreeLevels = ["NoPain", "Mild", "Obvious"];

    [Fact]
    public async Task Clinician_uploads_a_photo_in_swagger_ui_and_sees_pain_level_action_units_and_adjacency()
    {
        File.Delete(ScreenshotPath()); // the artifact asserted below must be this run's
        await using var api = await ApiProcess.StartAsync(TimeSpan.FromMinutes(3));
        var (playwright, context, profile) = await Chromium.LaunchAsync();
        try
        {
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            page.SetDefaultTimeout(60_000);
            try
            {
            await page.GotoAsync(new Uri(api.BaseAddress, "/swagger").ToString());
            // Exact path match: /v1/pain/predict-batch shares the prefix.
            var operation = page.Locator(".opblock").Filter(new() { Has = page.Locator(".opblock-summary-path[data-path='/v1/pain/predict']") });
            await operation.WaitForAsync();

            var apiKeyRequired = await DeclaresApiKeyAsync(api);
            if (apiKeyRequired)
                await AuthoriseAsync(page);

            await operation.Locator(".opblock-summary").First.ClickAsync();
            await operation.Locator("button.try-out__btn").ClickAsync();
            var contentType = operation.Locator(".opblock-section-request-body select");
            if (await contentType.CountAsync() > 0)
                await contentType.First.SelectOptionAsync("multipart/form-data");
            await operation.Locator("input[type=file]").SetInputFilesAsync(RepoPaths.Golden("astronaut.png"));
            await operation.Locator("button.execute").ClickAsync();

            // The live response row (the table header also has a "response-col_status" cell).
            var live = operation.Locator(".live-responses-table tbody tr.response");
            await Assertions.Expect(live.Locator(".response-col_status").First).ToHaveTextAsync("200", new() { Timeout = 120_000 });
            var bodyText = await live.Locator(".response-col_description pre").First.InnerTextAsync();
            if (apiKeyRequired)
                Assert.Contains("X-Api-Key", await operation.Locator(".curl-command").InnerTextAsync());

            AssertMatchesGolden(bodyText);
            var shown = await live.InnerTextAsync();
            foreach (var text in new[] { "painLevel", "Obvious", "actionUnits", "adjacency", "AU26", "untrained model: not for clinical use" })
                Assert.Contains(text, shown);
            }
            finally
            {
                // The artifact: the page as the clinician saw it (also on failure, to show where it stopped).
                await page.ScreenshotAsync(new() { Path = ScreenshotPath(), FullPage = true });
                output.WriteLine($"screenshot: {ScreenshotPath()}");
            }
            Assert.True(new FileInfo(ScreenshotPath()) is { Exists: true, Length: > 10_000 }, $"no screenshot at {ScreenshotPath()}");
        }
        finally
        {
            await context.CloseAsync();
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
        }
    }

    private static void AssertMatchesGolden(string body)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Golden("face_pipeline.json")));
        var expected = golden.RootElement.GetProperty("untrained_reference_model_outputs").GetProperty("results").GetProperty("astronaut.png");
        using var doc = JsonDocument.Parse(body);
        var response = doc.RootElement;

        var level = expected.GetProperty("pain_level").GetInt32();
        Assert.Equal(level, response.GetProperty("painLevel").GetProperty("index").GetInt32());
        Assert.Equal(ThreeLevels[level], response.GetProperty("painLevel").GetProperty("label").GetString());

        var aus = response.GetProperty("actionUnits").EnumerateArray().ToArray();
        Assert.Equal(DisfaAus, aus.Select(a => a.GetProperty("au").GetString()));
        Assert.All(aus, a => Assert.InRange(a.GetProperty("probability").GetDouble(), 0.0, 1.0));

        var adjacency = response.GetProperty("adjacency").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        var goldenAdjacency = expected.GetProperty("adjacency").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(goldenAdjacency, adjacency);
        Assert.False(response.GetProperty("model").GetProperty("trained").GetBoolean());
    }

    private static async Task<bool> DeclaresApiKeyAsync(ApiProcess api)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        using var openApi = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        return openApi.RootElement.TryGetProperty("components", out var components)
               && components.TryGetProperty("securitySchemes", out var schemes)
               && schemes.EnumerateObject().Any(s => s.Value.TryGetProperty("type", out var t) && t.GetString() == "apiKey");
    }

    /// <summary>Swagger UI's Authorize dialog: type the key, authorise, close. Requests then carry X-Api-Key.</summary>
    private static async Task AuthoriseAsync(IPage page)
    {
        await page.Locator(".scheme-container button.authorize").ClickAsync();
        var dialog = page.Locator(".modal-ux");
        await dialog.Locator("input").First.FillAsync(ApiProcess.ApiKey);
        await dialog.Locator("button.authorize").First.ClickAsync();
        // Once authorised, the dialog offers "Logout" instead of "Authorize".
        await Assertions.Expect(dialog.Locator("button", new() { HasTextString = "Logout" })).ToBeVisibleAsync();
        await dialog.Locator("button.close-modal").First.ClickAsync();
    }

    private static string ScreenshotPath()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, "swagger-predict-astronaut.png");
    }
}
