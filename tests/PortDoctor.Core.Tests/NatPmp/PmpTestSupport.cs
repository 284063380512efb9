using System.Net;
using PortDoctor.Core.Mapping;
using PortDoctor.Core.NatPmp;
using PortDoctor.Core.Net;
using PortDoctor.Core.Tests.Fakes;

namespace PortDoctor.Core.Tests.NatPmp;

internal static class PmpTestSupport
{
    public static readonly IPAddress Loopback = IPAddress.Loopback;

    public static PmpClientOptions Options(FakePmpGateway gateway, double budgetMs = 3000, double probeBudgetMs = 1000) => new()
    {
        ServerPort = gateway.Port,
        RequestBudget = TimeSpan.FromMilliseconds(budgetMs),
        ProbeBudget = TimeSpan.FromMilliseconds(probeBudgetMs),
    };

    public static GatewayInfo Gateway => new(Loopback, Loopback, 8, "lo");

    public static MappingRequest Request(TransportProtocol protocol = TransportProtocol.Tcp, int externalPort = 28174, int internalPort = 22002, int leaseSeconds = 3600) =>
        new(protocol, externalPort, Loopback, internalPort, TimeSpan.FromSeconds(leaseSeconds), "PortDoctor test");
}
