using Microsoft.Playwright;

namespace Factory.IntegrationTests.Web;

/// <summary>
/// Debian's chromium driven by Playwright (its driver ships in the NuGet package; no browser is downloaded), one
/// browser for a test class. Screenshots go to TestResults/screenshots under the repository.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    // Without the networking flags chromium keeps trying Google's hosts, which this machine refuses.
    private static readonly string[] Flags =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string Screenshots { get; } = Path.Combine(RepoRoot.Path, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's chromium (tests/browser/install.sh)");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Executable, Headless = true, Args = Flags });
        Directory.CreateDirectory(Screenshots);
        // Expect(...) polls for 5 s by default; a loaded CI machine needs the same 30 s as the page actions.
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Screenshots, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
