using System.Text;

namespace PortDoctor.Protocol.Tests.Upnp;

internal static class Fixture
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static string Text(string name) => Encoding.UTF8.GetString(Bytes(name));

    /// <summary>Splits a raw HTTP response (.bin fixture) into status code and body.</summary>
    public static (int Status, byte[] Body) HttpResponse(string name)
    {
        byte[] raw = Bytes(name);
        int end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        string statusLine = Encoding.ASCII.GetString(raw, 0, raw.AsSpan().IndexOf("\r\n"u8));
        int status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, raw[(end + 4)..]);
    }
}
