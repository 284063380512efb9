using System.Net;
using System.Text.RegularExpressions;
using PortDoctor.Core.Localization;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.Net;
using PortDoctor.Core.Workflows;
using PortDoctor.Protocol.NatPmp;
using PortDoctor.Protocol.Pcp;
using PortDoctor.Protocol.Upnp;

namespace PortDoctor.Core.Tests.Localization;

/// <summary>Every mapping failure and note renders in both languages, and Japanese carries no English prose.</summary>
public sealed partial class MappingTextsTests
{
    // Words that are names, not prose: protocols, the product behind most PCP routers, command names, units of networks.
    private static readonly HashSet<string> AllowedAsciiWords = new(StringComparer.Ordinal)
    {
        "PCP", "NAT", "PMP", "UPnP", "IGD", "ICMP", "URL", "LAN", "PC", "RFC", "miniupnpd", "open", "keep", "close", "tcp", "udp",
    };

    private const string SampleUrl = "http://192.168.1.1:5000/ctl";

    private static readonly IPAddress Pc = IPAddress.Parse("192.168.1.10");
    private static readonly IPAddress Other = IPAddress.Parse("192.168.1.50");

    public static TheoryData<MappingFailure> Failures()
    {
        var data = new TheoryData<MappingFailure>
        {
            new NoAnswerFailure("192.168.1.1:5351", 3000),
            new NoAnswerFailure(SampleUrl, 5000),
            new PortUnreachableFailure("192.168.1.1:5351"),
            new CannotSendFailure("192.168.1.1:5351"),
            new ControlUrlUnreachableFailure(new Uri(SampleUrl)),
            new UnusableAnswerFailure(MappingOperation.Map),
            new UnusableAnswerFailure(MappingOperation.Delete),
            new UnusableAnswerFailure(MappingOperation.Lookup),
            new NatPmpOnlyFailure(),
            new LowPortFailure(MappingMethod.Pcp, 1024),
            new LowPortFailure(MappingMethod.NatPmp, 1024),
            new NoExternalPortFailure(),
            new ZeroLifetimeFailure(),
            new AnswerForOtherPortFailure(242, 22002),
            new NoNonceFailure(3600),
            new OtherClientFailure(Other, Pc),
            new ConflictWithoutHolderFailure(Pc),
            new HeldByOtherHostFailure("192.168.1.50", 80, ""),
            new HeldByOtherHostFailure("192.168.1.50", 80, "録画機"),
            new ReadBackMissingFailure(),
            new ReadBackDiffersFailure(Pc, 8080, 3600, "192.168.1.99", 9090, 86400),
        };
        foreach (MappingOperation operation in Enum.GetValues<MappingOperation>())
        {
            foreach (PcpResultCode code in Enum.GetValues<PcpResultCode>().Where(c => c != PcpResultCode.Success).Append((PcpResultCode)99))
            {
                data.Add(new PcpRefusedFailure(code, operation));
            }

            foreach (NatPmpResultCode code in Enum.GetValues<NatPmpResultCode>().Where(c => c != NatPmpResultCode.Success).Append((NatPmpResultCode)99))
            {
                data.Add(new NatPmpRefusedFailure(code, operation));
            }

            foreach (UpnpErrorCode code in Enum.GetValues<UpnpErrorCode>())
            {
                data.Add(new UpnpFaultFailure(operation, code == UpnpErrorCode.Unknown ? 899 : (int)code, code));
            }

            data.Add(new UpnpFaultFailure(operation, null, UpnpErrorCode.Unknown));
        }

        return data;
    }

    public static TheoryData<MappingNote> Notes() => new()
    {
        new PermanentAskedAsFiniteNote(604800),
        new ExternalPortChangedNote(28175, 28174),
        new ShorterLeaseNote(86400, 604800),
        new LeaseCappedNote(604800),
        new LeaseRetriedNote(725, UpnpErrorCode.OnlyPermanentLeasesSupported, 3600, 0),
        new LeaseRetriedNote(402, UpnpErrorCode.InvalidArgs, 0, 604800),
        new AlreadyHeldNote(),
        new OtherPortGrantedNote("192.168.1.50", 80, 8081),
        new OtherPortRefusedNote(501),
        new OtherPortRefusedNote(null),
        new ReadBackUnavailableNote(501),
        new MadePermanentNote(),
        new AlreadyGoneNote(),
        new ForwardsElsewhereNote("192.168.1.77"),
    };

    [GeneratedRegex(@"[A-Za-z]{2,}")]
    private static partial Regex AsciiWord();

    [GeneratedRegex(@"https?://[A-Za-z0-9.:/]*")]
    private static partial Regex Url();

    private static IEnumerable<string> Keys(Text text) =>
        new[] { text.Key }.Concat(text.Args.OfType<Text>().SelectMany(Keys));

    private static void AssertRendersInBothLanguages(Text text)
    {
        foreach (string key in Keys(text))
        {
            Assert.NotNull(Localizer.Lookup(key, UiLanguage.English));
            Assert.NotNull(Localizer.Lookup(key, UiLanguage.Japanese));
        }

        string en = Localizer.Format(text, UiLanguage.English);
        string ja = Localizer.Format(text, UiLanguage.Japanese);
        Assert.NotEqual(en, ja);
        Assert.Contains(ja, c => c is >= '\u3040' and <= '\u30ff' or >= '\u4e00' and <= '\u9fff');
        string withoutValues = Url().Replace(ja, " ");
        var english = AsciiWord().Matches(withoutValues).Select(m => m.Value).Where(w => !AllowedAsciiWords.Contains(w)).ToList();
        Assert.True(english.Count == 0, $"English in Japanese: {string.Join(", ", english)} in 「{ja}」");
    }

    [Fact]
    public void The_samples_cover_every_failure_and_note_type()
    {
        var types = typeof(MappingFact).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(MappingFact).IsAssignableFrom(t)).ToHashSet();
        var sampled = Failures().Select(r => r.Data.GetType()).Concat(Notes().Select(r => r.Data.GetType())).ToHashSet();
        Assert.Empty(types.Except(sampled).Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_renders_in_both_languages(MappingFailure failure)
    {
        Text text = MappingTexts.Reason(failure);
        Assert.NotEqual("MappingFailure.Other", text.Key);
        AssertRendersInBothLanguages(text);
        Assert.DoesNotContain(failure.Kind.ToString(), Localizer.Format(text, UiLanguage.Japanese), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Notes))]
    public void Each_note_renders_in_both_languages(MappingNote note)
    {
        Text text = MappingTexts.Note(note);
        Assert.NotEqual("MappingNote.Other", text.Key);
        AssertRendersInBothLanguages(text);
        AssertRendersInBothLanguages(MappingTexts.NotesSentence([note])!);
    }

    [Fact]
    public void Notes_gathered_before_a_failure_are_told_with_it()
    {
        var outcome = MappingOutcome.Fail(new ReadBackMissingFailure(), new LeaseCappedNote(604800), new LeaseRetriedNote(725, UpnpErrorCode.OnlyPermanentLeasesSupported, 604800, 0));

        Text text = MappingTexts.Failure(outcome);

        Assert.Equal(
            "the router accepted it but holds no such mapping when asked back (earlier: lease capped at 604800 s (IGD:2 maximum); " +
            "the router accepts only permanent mappings (error 725); retried with lease 0, the mapping stays until it is closed)",
            Localizer.Format(text, UiLanguage.English));
        AssertRendersInBothLanguages(text);
    }

    [Fact]
    public void Refusals_name_the_protocol_and_its_own_code()
    {
        Text pcp = MappingTexts.Reason(new PcpRefusedFailure(PcpResultCode.NotAuthorized, MappingOperation.Map));
        Assert.Equal(
            "the router refused the PCP mapping request (code 2: not authorized; enable PCP/NAT-PMP (or \"port mapping\"/\"UPnP\") in the router's settings)",
            Localizer.Format(pcp, UiLanguage.English));
        Assert.Equal(
            "ルーターが PCP の転送要求を断りました（コード 2：許可されていません。ルーターの設定で PCP・NAT-PMP（または「ポートマッピング」や UPnP）を有効にしてください）",
            Localizer.Format(pcp, UiLanguage.Japanese));
        Assert.Contains("UPnP IGD", Localizer.Format(MappingTexts.Reason(new UpnpFaultFailure(MappingOperation.Delete, 501, UpnpErrorCode.ActionFailed)), UiLanguage.Japanese), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failed_mapping_step_in_japanese_quotes_no_english(MappingFailure failure)
    {
        var gw = new GatewayInfo(IPAddress.Parse("192.168.1.1"), Pc, 24, "eth0");
        var request = new MappingRequest(TransportProtocol.Tcp, 8080, Pc, 8080, TimeSpan.FromHours(1), "PortDoctor");

        AssertRendersInBothLanguages(OpenWorkflow.MappingFailureText(MappingOutcome.Fail(failure, new ShorterLeaseNote(600, 3600)), request, gw));
    }
}
