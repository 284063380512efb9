using PortDoctor.Core.Journal;

namespace PortDoctor.Core.Tests.Journal;

/// <summary>The test-only crash hook: its parser and its counting (the kill itself is proven by the crash tests).</summary>
public sealed class CrashPointsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Unset_or_blank_arms_nothing(string? value)
    {
        Assert.True(CrashPoints.TryParse(value, out var plan, out var error));
        Assert.Null(plan);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("intent-torn", "intent-torn", 1)]
    [InlineData("intent-written", "intent-written", 1)]
    [InlineData("before-send", "before-send", 1)]
    [InlineData("after-send:2", "after-send", 2)]
    [InlineData(" done-written:3 ", "done-written", 3)]
    public void A_point_with_an_optional_count_is_armed(string value, string point, int occurrence)
    {
        Assert.True(CrashPoints.TryParse(value, out var plan, out var error), error);
        Assert.Equal(new CrashPlan(point, occurrence), plan);
    }

    [Theory]
    [InlineData("after-sent")]
    [InlineData("AFTER-SEND")]
    [InlineData("after-send:0")]
    [InlineData("after-send:-1")]
    [InlineData("after-send:x")]
    [InlineData("after-send:")]
    public void A_bad_value_is_refused_naming_the_valid_points(string value)
    {
        Assert.False(CrashPoints.TryParse(value, out var plan, out var error));
        Assert.Null(plan);
        Assert.Contains(CrashPoints.EnvironmentVariable, error, StringComparison.Ordinal);
        Assert.Contains(value, error, StringComparison.Ordinal);
        Assert.True(error!.Contains("intent-written, before-send", StringComparison.Ordinal) || error.Contains(":N", StringComparison.Ordinal), error);
    }

    [Fact]
    public void The_plan_fires_exactly_once_at_the_armed_hit_of_the_armed_point()
    {
        var plan = new CrashPlan(CrashPoints.AfterSend, 2);
        Assert.False(plan.ShouldCrash(CrashPoints.BeforeSend));
        Assert.False(plan.ShouldCrash(CrashPoints.AfterSend));
        Assert.False(plan.ShouldCrash(CrashPoints.DoneWritten));
        Assert.False(plan.ShouldCrash(CrashPoints.BeforeSend));
        Assert.True(plan.ShouldCrash(CrashPoints.AfterSend));
        Assert.False(plan.ShouldCrash(CrashPoints.AfterSend));
    }

    [Fact]
    public void The_test_process_itself_is_unarmed()
    {
        // The hook is compiled into the product: it must be inert unless the variable is set.
        Assert.Null(Environment.GetEnvironmentVariable(CrashPoints.EnvironmentVariable));
        Assert.False(CrashPoints.IsDue(CrashPoints.IntentWritten));
        CrashPoints.Hit(CrashPoints.AfterSend);
    }
}
