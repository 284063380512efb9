using PortDoctor.Core.Inputs;

namespace PortDoctor.Core.Tests.Inputs;

public class PortInputTests
{
    [Theory]
    [InlineData("8080", 8080)]
    [InlineData(" 1 ", 1)]
    [InlineData("65535", 65535)]
    public void Valid_ports_parse(string text, int expected)
    {
        Assert.True(PortInput.TryParse(text, out int port, out var error));
        Assert.Equal(expected, port);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("0", "does not exist")]
    [InlineData("65536", "does not exist")]
    [InlineData("-1", "not a port number")]
    [InlineData("80a", "not a port number")]
    [InlineData("", "not a port number")]
    [InlineData(null, "not a port number")]
    public void Invalid_ports_name_the_problem_and_the_fix(string? text, string fragment)
    {
        Assert.False(PortInput.TryParse(text, out _, out var error));
        Assert.Contains(fragment, error!.ToString(), StringComparison.Ordinal);
        Assert.Contains("1", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ports_below_1024_get_a_warning_others_none()
    {
        Assert.NotNull(PortInput.RangeWarning(80));
        Assert.NotNull(PortInput.RangeWarning(1023));
        Assert.Null(PortInput.RangeWarning(1024));
        Assert.Null(PortInput.RangeWarning(8080));
    }
}

public class DurationInputTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("3600", 3600)]
    [InlineData("permanent", 0)]
    [InlineData("0", 0)]
    [InlineData("2H", 7200)]
    public void Durations_parse(string text, int seconds)
    {
        Assert.True(DurationInput.TryParse(text, out var value, out _));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("5x")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("99999999999d")]
    public void Bad_durations_are_refused_with_a_hint(string text)
    {
        Assert.False(DurationInput.TryParse(text, out _, out var error));
        Assert.Contains("30m", error!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "permanent")]
    [InlineData(45, "45s")]
    [InlineData(1800, "30m")]
    [InlineData(7200, "2h")]
    [InlineData(86400, "1d")]
    [InlineData(93600, "1d 2h")]
    public void Durations_format_for_people(int seconds, string expected) =>
        Assert.Equal(expected, DurationInput.Format(TimeSpan.FromSeconds(seconds)));
}
