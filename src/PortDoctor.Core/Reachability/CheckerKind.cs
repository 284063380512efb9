namespace PortDoctor.Core.Reachability;

/// <summary>The API an outside checker speaks.</summary>
public enum CheckerKind
{
    /// <summary>
    /// PortDoctor's own checker (<c>portdoctor serve</c>): <c>POST {base}/api/v1/check</c> and
    /// <c>GET {base}/api/v1/ip</c>. TCP and UDP; tells closed from filtered.
    /// </summary>
    PortDoctor,

    /// <summary>Transmission's port test: <c>GET {base}/{port}</c> answers <c>1</c> or <c>0</c>. TCP only.</summary>
    Transmission,

    /// <summary>echoip's port test: <c>GET {base}/port/{port}</c> answers <c>{"ip","port","reachable"}</c>. TCP only.</summary>
    EchoIp,
}
