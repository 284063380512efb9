namespace PortDoctor.Checker;

/// <summary>The web page's words in one language.</summary>
internal sealed record PageText(
    string Lang,
    string Title,
    string Intro,
    string YourAddress,
    string PortLabel,
    string PortHint,
    string CheckButton,
    string Checking,
    string OpenTitle,
    string OpenMeaning,
    string OpenNext,
    string ClosedTitle,
    string ClosedMeaning,
    string ClosedNext,
    string FilteredTitle,
    string FilteredMeaning,
    string FilteredNext,
    string ErrorTitle,
    string MeaningLabel,
    string NextLabel,
    string CheckedLine,
    string NetworkError,
    string RefusedText,
    string LimitedText,
    string BusyText,
    string Rtt,
    string UdpNote,
    string OtherLanguage,
    string OtherLang)
{
    public static readonly PageText Japanese = new(
        Lang: "ja",
        Title: "ポート開放チェック",
        Intro: "このサーバーからあなたの接続元アドレスへ実際に接続してみて、指定したポートがインターネットから届くかを確かめます。確認の前に、そのポートを使う配信ソフトやサーバーを起動しておいてください。",
        YourAddress: "あなたのIPアドレス",
        PortLabel: "確認するポート番号",
        PortHint: "1〜65535 の番号を入力してください。TCP で接続して確認します。",
        CheckButton: "確認する",
        Checking: "確認しています…",
        OpenTitle: "開いています",
        OpenMeaning: "インターネットからこのポートに接続できました。ルーターのポート転送も、ファイアウォールの許可もできています。",
        OpenNext: "公開するURLのポート番号がこの番号と同じか確かめてください。接続してほしい相手にそのURLを伝えれば接続できます。",
        ClosedTitle: "閉じています（接続を拒否されました）",
        ClosedMeaning: "パケットはあなたのパソコン（またはルーター）まで届きましたが、接続を断られました。このポートで待ち受けているプログラムがないか、パソコンが接続を拒否しています。",
        ClosedNext: "配信ソフトやサーバーを起動して（エンコード開始やミラー接続を済ませて）、設定したポート番号が合っているか確かめてから、もう一度確認してください。",
        FilteredTitle: "応答がありません（フィルタされています）",
        FilteredMeaning: "決められた時間内に何の応答もありませんでした。Windows やセキュリティソフトのファイアウォール、またはルーターがパケットを捨てているか、ルーターにポート転送の設定がありません。",
        FilteredNext: "ルーターのポート転送（ポートマッピング）に、このパソコンのLAN側IPアドレスとポート番号を設定し、ファイアウォールでこのポートへの受信を許可してください。`portdoctor diagnose` を実行すると、どこで止まっているかを調べられます。",
        ErrorTitle: "確認できませんでした",
        MeaningLabel: "意味",
        NextLabel: "次にすること",
        CheckedLine: "{ip} のポート {port}（TCP）を確認しました。",
        NetworkError: "チェッカーに接続できませんでした。ネットワークを確かめて、もう一度お試しください。",
        RefusedText: "あなたのアドレス {ip} はプライベート（LAN 内など）のアドレスなので、このチェッカーは接続しません。確かめたいネットワークから、インターネット上のチェッカーを使ってください。",
        LimitedText: "短い時間に確認が多すぎました。{s} 秒ほど待ってから、もう一度お試しください。",
        BusyText: "チェッカーが混み合っています。{s} 秒ほど待ってから、もう一度お試しください。",
        Rtt: "応答時間",
        UdpNote: "UDP ポートの確認は、コマンドで `portdoctor check ポート番号 --protocol udp` と実行してください。",
        OtherLanguage: "English",
        OtherLang: "en");

    public static readonly PageText English = new(
        Lang: "en",
        Title: "Port check",
        Intro: "This server connects back to the address you are visiting from and tells you whether the port is reachable from the internet. Start the program that uses the port (your encoder, server or relay) before you check.",
        YourAddress: "Your IP address",
        PortLabel: "Port to check",
        PortHint: "A number from 1 to 65535. The checker connects to it over TCP.",
        CheckButton: "Check",
        Checking: "Checking…",
        OpenTitle: "Open",
        OpenMeaning: "The port can be reached from the internet: the router forwards it and the firewalls let it in.",
        OpenNext: "Make sure the port in the URL you publish is this one; then others can connect with that URL.",
        ClosedTitle: "Closed (connection refused)",
        ClosedMeaning: "The packets reached your PC (or your router), but the connection was refused: no program is listening on this port, or the PC rejects it.",
        ClosedNext: "Start the program (start encoding, connect the relay), check that it uses this port number, then check again.",
        FilteredTitle: "No answer (filtered)",
        FilteredMeaning: "Nothing answered in time. A firewall (Windows or a security suite) or the router drops the packets, or the router has no port forwarding for this port.",
        FilteredNext: "Forward the port on the router to this PC's LAN address, and allow incoming connections to the port in the firewalls. Run `portdoctor diagnose` to find out which of these it is.",
        ErrorTitle: "The check did not run",
        MeaningLabel: "What it means",
        NextLabel: "What to do next",
        CheckedLine: "Checked TCP port {port} on {ip}.",
        NetworkError: "Could not reach the checker. Check your network and try again.",
        RefusedText: "Your address {ip} is a private (LAN-side) address, so this checker does not connect to it. Use a checker on the internet from the network you want to test.",
        LimitedText: "Too many checks in a short time. Wait about {s} seconds, then try again.",
        BusyText: "The checker is busy. Wait about {s} seconds, then try again.",
        Rtt: "Round-trip time",
        UdpNote: "To check a UDP port, run `portdoctor check PORT --protocol udp`.",
        OtherLanguage: "日本語",
        OtherLang: "ja");

    /// <summary>Picks the language: <c>?lang=ja|en</c> first, else the first of ja/en in Accept-Language by quality, else English.</summary>
    public static PageText Choose(string? langQuery, string? acceptLanguage)
    {
        if (string.Equals(langQuery, "ja", StringComparison.OrdinalIgnoreCase)) { return Japanese; }
        if (string.Equals(langQuery, "en", StringComparison.OrdinalIgnoreCase)) { return English; }
        if (acceptLanguage is null ||
            !Microsoft.Net.Http.Headers.StringWithQualityHeaderValue.TryParseList([acceptLanguage], out var ranges))
        {
            return English;
        }

        foreach (var range in ranges.Where(r => (r.Quality ?? 1) > 0).OrderByDescending(r => r.Quality ?? 1))
        {
            string tag = range.Value.Value ?? string.Empty;
            if (tag.Equals("ja", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("ja-", StringComparison.OrdinalIgnoreCase)) { return Japanese; }
            if (tag.Equals("en", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("en-", StringComparison.OrdinalIgnoreCase)) { return English; }
        }

        return English;
    }
}
