using System.Globalization;
using System.Text.RegularExpressions;
using PortDoctor.Core.Journal;
using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>
/// Two portdoctor processes on one state folder at the same moment: the writer lock keeps the journal whole,
/// both changes are journaled, and one undo removes both from the real router.
/// </summary>
[Collection(TestbedSerialGroup.Name)]
public sealed class ConcurrencyTests
{
    /// <summary>Rounds with different port pairs: the appends of two processes collide at a random moment each time.</summary>
    private const int Rounds = 3;

    [Fact]
    public async Task Two_opens_started_together_on_one_state_folder_are_both_journaled_and_one_undo_removes_both()
    {
        TestbedRequirements.SkipUnlessAvailable([.. TestbedRequirements.PeerTools]);
        await using var tb = await Testbed.UpAsync("home");
        using var pd = new PortDoctorRun(tb);
        var journal = new ChangeJournal(pd.StateDir);
        string descriptionUrl = $"http://{tb.RouterLanIp}:5000/rootDesc.xml";
        try
        {
            for (int round = 0; round < Rounds; round++)
            {
                int a = 21000 + (round * 10), b = a + 1;
                string protocolB = round % 2 == 0 ? "udp" : "both";

                // Both processes start before either is awaited.
                var openA = pd.RunAsync("open", Num(a), "--no-check");
                var openB = pd.RunAsync("open", Num(b), "--protocol", protocolB, "--no-check");
                var results = await Task.WhenAll(openA, openB);

                Assert.True(results[0].ExitCode == 0, $"round {round}: {results[0]}");
                Assert.True(results[1].ExitCode == 0, $"round {round}: {results[1]}");
                // ReadAll throws on any damaged line: two writers never interleaved.
                var held = journal.Outstanding();
                int expected = protocolB == "both" ? 3 : 2;
                Assert.True(held.Count == expected && held.All(e => e.Op == JournalOp.Done),
                    $"round {round}: expected {expected} done mappings, journal holds: {string.Join("; ", held.Select(e => $"{e.Op} {e.Change.ExternalPort}/{e.Change.Protocol}"))}");
                Assert.Equal(new[] { a, b }, held.Select(e => e.Change.ExternalPort).Distinct().Order());
                Assert.All(journal.ReadAll(), e => Assert.Equal(ChangeJournal.FormatVersion, e.Version));

                var listing = (await tb.ExecAsync(Host.Pc, "upnpc", "-u", descriptionUrl, "-l")).EnsureSuccess().StandardOutput;
                // upnpc pads the external port to 5 columns: "TCP  8080->…", "TCP 21000->…".
                Assert.Matches($@"TCP\s+{a}->{Regex.Escape(tb.PcIp)}:{a}\s", listing);
                Assert.Matches($@"UDP\s+{b}->{Regex.Escape(tb.PcIp)}:{b}\s", listing);
                Assert.Equal(expected * 2, (await tb.RouterMappingRulesAsync()).Count);

                var undo = await pd.RunAsync("undo");
                Assert.True(undo.ExitCode == 0, $"round {round}: {undo}");
                Assert.Empty(journal.Outstanding());
                Assert.Empty(await tb.RouterMappingRulesAsync());
                var after = (await tb.ExecAsync(Host.Pc, "upnpc", "-u", descriptionUrl, "-l")).EnsureSuccess().StandardOutput;
                Assert.DoesNotContain($"{a}->", after, StringComparison.Ordinal);
                Assert.DoesNotContain($"{b}->", after, StringComparison.Ordinal);
            }

            // Nothing leaked into the lock file: a leftover id would only ever mean a crash.
            Assert.Equal(0, new FileInfo(journal.LockFilePath).Length);
        }
        finally
        {
            // After a failure: take back whatever is still journaled before the testbed goes.
            await pd.RunAsync("undo");
        }

        Assert.Empty(await tb.RouterMappingRulesAsync());
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
