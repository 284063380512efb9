namespace PortDoctor.Core.Journal;

/// <summary>Where PortDoctor keeps its state (the journal), per OS convention.</summary>
public static class StateDirectory
{
    /// <summary>
    /// The state folder: <paramref name="overridePath"/> when given (<c>--state-dir</c>), else
    /// <c>PORTDOCTOR_STATE_DIR</c>, else on Linux <c>$XDG_STATE_HOME/portdoctor</c> (default
    /// <c>~/.local/state/portdoctor</c>, XDG Base Directory spec), on Windows <c>%LOCALAPPDATA%\PortDoctor</c>,
    /// on macOS <c>~/Library/Application Support/PortDoctor</c>.
    /// </summary>
    /// <param name="overridePath">An explicit folder, or null.</param>
    /// <returns>The folder path (not created here).</returns>
    public static string Resolve(string? overridePath = null)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            return Path.GetFullPath(overridePath);
        }

        string? env = Environment.GetEnvironmentVariable("PORTDOCTOR_STATE_DIR");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return Path.GetFullPath(env);
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "PortDoctor");
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Application Support", "PortDoctor");
        }

        string? xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        string baseDir = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg) ? xdg : Path.Combine(home, ".local", "state");
        return Path.Combine(baseDir, "portdoctor");
    }
}
