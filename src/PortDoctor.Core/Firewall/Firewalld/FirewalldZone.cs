namespace PortDoctor.Core.Firewall.Firewalld;

/// <summary>A parsed <c>firewall-cmd --list-all</c> (one zone).</summary>
/// <param name="Name">The zone name ("public").</param>
/// <param name="IsActive">True when the header says "(active)".</param>
/// <param name="IsDefault">True when the header says "(default)" (firewalld ≥ 1.x prints it; older ones do not).</param>
/// <param name="Target">"default", "ACCEPT", "DROP", "REJECT" or "%%REJECT%%".</param>
/// <param name="Interfaces">Interfaces bound to the zone.</param>
/// <param name="Sources">Source networks bound to the zone.</param>
/// <param name="Services">Service names allowed in.</param>
/// <param name="Ports">Ports allowed in ("8080/tcp", "5000-5010/udp").</param>
/// <param name="Protocols">Whole protocols allowed in ("tcp").</param>
/// <param name="RichRules">Rich rules, one per line, as printed.</param>
internal sealed record FirewalldZone(
    string Name,
    bool IsActive,
    bool IsDefault,
    string Target,
    IReadOnlyList<string> Interfaces,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Ports,
    IReadOnlyList<string> Protocols,
    IReadOnlyList<string> RichRules);
