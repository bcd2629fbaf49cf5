using Microsoft.Playwright;

namespace PainService.Browser.Tests;

/// <summary>Debian's chromium driven by Playwright's bundled driver: headless, sandbox off (CI runs as root), no
/// network chatter of its own, a fresh profile per run. Never downloads a browser build.</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowserContext Context, string Profile)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: run scripts/install-deps.sh (installs Debian's chromium).");
        var profile = Directory.CreateTempSubdirectory("painservice-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--no-default-browser-check"],
            ViewportSize = new ViewportSize { Width = 1280, Height = 1000 },
            Timeout = 60_000,
        });
        return (playwright, context, profile);
    }
}
