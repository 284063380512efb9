using System.Text.Json;
using PortDoctor.Cli.Commands;

namespace PortDoctor.Cli.Tests;

/// <summary>Every client command goes through one runner: the same errors, --timeout and --json handling for all.</summary>
public sealed class CommandRunnerTests : IDisposable
{
    private readonly string _stateDir = Directory.CreateTempSubdirectory("pd-cli-runner-").FullName;

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await CommandLine.RunAsync([.. args, "--state-dir", _stateDir, "--lang", "en"], output, error);
        return (exit, output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), error.ToString());
    }

    [Theory]
    [InlineData("ja", "使い方は")]
    [InlineData("en", "portdoctor --help")]
    public async Task A_lang_given_twice_is_a_usage_error_in_the_first_language_named(string first, string expected)
    {
        // RunAsync appends "--lang en": the option is given twice. Reading its value used to throw (exit 134, a stack trace).
        var (exit, output, error) = await RunAsync("close", "8080", "--lang", first);
        Assert.Equal(2, exit);
        Assert.Contains(expected, output + error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lease_of_zero_is_a_usage_error_that_names_permanent()
    {
        var (exit, output, error) = await RunAsync("open", "8080", "--lease", "0", "--no-check");
        Assert.Equal(2, exit);
        Assert.Contains("--lease permanent", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lang_without_a_value_is_a_usage_error()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await CommandLine.RunAsync(["close", "8080", "--state-dir", _stateDir, "--lang"], output, error);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("Unhandled", output.ToString() + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_with_nothing_held_prints_its_step_once_then_the_verdict()
    {
        var (exit, output, _) = await RunAsync("close", "8080");
        Assert.Equal(0, exit);
        Assert.Equal("[ok]      PortDoctor holds no changes for port 8080: nothing to close. ('portdoctor status' lists what it holds.)\n\nDONE: Nothing to close for port 8080.\n", output);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("diagnose")]
    [InlineData("undo")]
    public async Task A_bad_timeout_is_the_same_usage_error_for_every_command(string command)
    {
        var (exit, output, error) = await RunAsync(command, "--timeout", "soon");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("portdoctor: ", error, StringComparison.Ordinal);
        Assert.Contains("soon", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_is_one_document_on_stdout()
    {
        var (exit, output, _) = await RunAsync("undo", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("undo", doc.RootElement.GetProperty("command").GetString());
        Assert.Equal("journal", doc.RootElement.GetProperty("steps")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Bad_stun_server_is_a_usage_error_from_core()
    {
        var (exit, _, error) = await RunAsync("diagnose", "--stun", "host:99999", "--gateway", "127.0.0.1");
        Assert.Equal(2, exit);
        Assert.Contains("--stun 'host:99999' is not HOST or HOST:PORT", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "portdoctor close 8080")]
    [InlineData("/var/lib/pd", "portdoctor close 8080 --state-dir /var/lib/pd")]
    [InlineData("/tmp/my state", "portdoctor close 8080 --state-dir '/tmp/my state'")]
    [InlineData("/tmp/it's", "portdoctor close 8080 --state-dir '/tmp/it'\\''s'")]
    public void The_close_command_is_exact_and_pastes_into_a_shell(string? stateDir, string expected)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows quotes with double quotes");
        Assert.Equal(expected, CommandRunner.CloseCommandFor(8080, stateDir));
    }
}
