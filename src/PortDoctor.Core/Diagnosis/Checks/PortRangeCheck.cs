using System.Globalization;
using PortDoctor.Core.Inputs;
using PortDoctor.Core.Localization;

namespace PortDoctor.Core.Diagnosis.Checks;

/// <summary>The port's range: below 1024 is a warning, <c>port-below-1024</c>.</summary>
internal static class PortRangeCheck
{
    /// <summary>Warns about a port below the registered range.</summary>
    /// <param name="f">Where findings go.</param>
    /// <param name="port">The port, 1–65535.</param>
    public static void Run(FindingList f, int port)
    {
        if (PortInput.RangeWarning(port) is Text low)
        {
            f.Warning(FindingIds.PortBelowRegistered, low, null, ("port", port.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
