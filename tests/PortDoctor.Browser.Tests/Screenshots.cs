using Microsoft.Playwright;

namespace PortDoctor.Browser.Tests;

/// <summary>Saves full-page screenshots under artifacts/screenshots/ at the repository root and attaches them to the test result.</summary>
internal static class Screenshots
{
    public static string Directory { get; } = Locate();

    public static async Task SaveAsync(IPage page, string name)
    {
        string path = Path.Combine(Directory, name + ".png");
        byte[] png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.AddAttachment(name, png, "image/png");
    }

    private static string Locate()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PortDoctor.slnx")))
        {
            dir = dir.Parent;
        }

        string root = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        System.IO.Directory.CreateDirectory(root);
        return root;
    }
}
