using Microsoft.Extensions.Time.Testing;
using PortDoctor.Core.NatPmp;

namespace PortDoctor.Core.Tests.NatPmp;

public class EpochTrackerTests
{
    [Theory]
    [InlineData(EpochRule.NatPmp)]
    [InlineData(EpochRule.Pcp)]
    public void Epoch_advancing_with_the_clock_is_fine(EpochRule rule)
    {
        var time = new FakeTimeProvider();
        var tracker = new EpochTracker(rule, time);
        Assert.False(tracker.Observe(1000));
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(tracker.Observe(1060));
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(tracker.Observe(1118)); // a slow router clock within tolerance
        Assert.Equal(1118u, tracker.LastEpochSeconds);
    }

    [Theory]
    [InlineData(EpochRule.NatPmp)]
    [InlineData(EpochRule.Pcp)]
    public void Epoch_going_back_means_lost_state(EpochRule rule)
    {
        var time = new FakeTimeProvider();
        var tracker = new EpochTracker(rule, time);
        tracker.Observe(5000);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(tracker.Observe(3));
    }

    [Theory]
    [InlineData(EpochRule.NatPmp)]
    [InlineData(EpochRule.Pcp)]
    public void Epoch_standing_still_while_time_passes_means_lost_state(EpochRule rule)
    {
        // The router rebooted 100 s ago and has run exactly as long as it had before: only the rate gives it away.
        var time = new FakeTimeProvider();
        var tracker = new EpochTracker(rule, time);
        tracker.Observe(100);
        time.Advance(TimeSpan.FromSeconds(300));
        Assert.True(tracker.Observe(200));
    }

    [Fact]
    public void Pcp_epoch_running_much_faster_than_the_clock_is_invalid_too()
    {
        var time = new FakeTimeProvider();
        var tracker = new EpochTracker(EpochRule.Pcp, time);
        tracker.Observe(100);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(tracker.Observe(1000));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(tracker.Observe(1010));
    }

    [Fact]
    public void First_answer_is_never_a_reboot()
    {
        var tracker = new EpochTracker(EpochRule.NatPmp, new FakeTimeProvider());
        Assert.Null(tracker.LastEpochSeconds);
        Assert.False(tracker.Observe(0));
    }
}
